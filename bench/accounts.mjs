// Figures for issue 13: how many V3 (EIP-712) signatures the client makes per second on one
// core, and the exchange requests of a round of 100 portfolio and positions monitors on 10
// accounts (the goal: exactly one read per account per endpoint per round).
import { privateKeyToAddress } from 'viem/accounts';
import { parseConfig } from '../dist/config/index.js';
import { ApiWallet, AsterClient, asterFuturesClient } from '../dist/exchange/index.js';
import { silentLogger } from '../dist/log/logger.js';
import { RoundRunner } from '../dist/scheduler/round.js';
import { liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../dist/sources/index.js';
import { MemoryStore } from '../dist/store/index.js';
import { FakeExchange } from '../dist/testing/fake-exchange.js';

// --- signing throughput: sign a typical account query, one after another, for 3 s ---
const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
const wallet = new ApiWallet({ signer: privateKeyToAddress(KEY), privateKey: KEY });
for (let i = 0; i < 200; i++) await wallet.signMessage(`nonce=${1_800_000_000_000_000 + i}&signer=${wallet.signer}`); // warm-up
let signed = 0;
const started = performance.now();
while (performance.now() - started < 3000) {
  await wallet.signMessage(`nonce=${1_800_000_000_000_000 + signed}&signer=${wallet.signer}`);
  signed++;
}
const perSecond = signed / ((performance.now() - started) / 1000);
console.log(`## V3 signing (EIP-712 hash + secp256k1 signature, viem, one core)`);
console.log(`${Math.round(perSecond).toLocaleString('en-US')} signed requests/s (${(1000 / perSecond).toFixed(2)} ms each)`);

// --- requests per round: 10 accounts (5 V3 wallets, 5 V1 keys), 10 monitors each ---
const exchange = await new FakeExchange().start();
exchange.setPrice('BTCUSDT', 60000, 58000);
const account = (i) => ({
  balances: [
    { asset: 'BTC', free: '1', locked: '0' },
    { asset: 'USDT', free: String(100 * i), locked: '0' },
  ],
  futures: { totalMarginBalance: String(1000 + i) },
  positions: [
    {
      symbol: 'BTCUSDT',
      positionAmt: '0.1',
      entryPrice: '60000',
      markPrice: '61000',
      liquidationPrice: '55000',
      unRealizedProfit: '100',
      leverage: '10',
      marginType: 'cross',
      positionSide: 'BOTH',
    },
  ],
});
const lines = ['monitors:'];
for (let a = 0; a < 10; a++) {
  let credentials;
  if (a < 5) {
    const key = `0x${String(a + 1).padStart(64, '0')}`;
    const signer = privateKeyToAddress(key);
    exchange.addWallet(signer, account(a));
    credentials = `signer: "${signer}", private_key: "${key}"`;
  } else {
    exchange.accounts.set(`key-${a}`, { secret: `secret-${a}-0123456789`, ...account(a) });
    credentials = `api_key: key-${a}, api_secret: secret-${a}-0123456789`;
  }
  for (let m = 0; m < 10; m++) {
    const kind = m % 3;
    const body =
      kind === 0
        ? `monitoring_mode: portfolio, portfolio_condition: "> 1"`
        : kind === 1
          ? `monitoring_mode: portfolio, account: futures, portfolio_condition: "> 1"`
          : `monitoring_mode: positions, condition: "< 50"`;
    lines.push(`  - { name: a${a}m${m}, ${body}, ${credentials} }`);
  }
}
const config = parseConfig(lines.join('\n') + '\n', 'bench.yaml', {});
const client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
const futures = asterFuturesClient({ baseUrl: exchange.url });
const store = new MemoryStore();
const runner = new RoundRunner({
  sources: liveCatalog(client, new TickerPriceSource(client), undefined, { client: futures, readings: store.readings }),
  baseline: new Ticker24hrBaselineSource(client, silentLogger()),
  store,
  logger: silentLogger(),
  route: (m) => [...m.notify],
});
console.log(`\n## one round of ${config.monitors.length} portfolio (spot and futures) and positions monitors on 10 accounts`);
for (let round = 1; round <= 3; round++) {
  exchange.requests.length = 0;
  const t = performance.now();
  const outcome = await runner.run(round * 60_000, config.monitors);
  const ms = performance.now() - t;
  const byPath = {};
  for (const r of exchange.requests) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
  console.log(
    `round ${round}: ${exchange.requests.length} requests in ${ms.toFixed(0)} ms, ${outcome.failed.length} failed — ${Object.entries(byPath)
      .map(([p, n]) => `${p} ×${n}`)
      .join(', ')}`,
  );
}
client.close();
futures.close();
await store.close();
await exchange.stop();
