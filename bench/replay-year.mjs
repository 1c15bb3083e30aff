// Figure for issue 14: a year of 1-minute checks (525,600 slots) of 10 market monitors (one
// asset each), replayed from the kline cache (filled beforehand: no request), on one core.
// Target: under 5 s.
import { parseConfig } from '../dist/config/index.js';
import { AsterClient } from '../dist/exchange/index.js';
import { replay } from '../dist/replay/replay.js';
import { MemoryKlineCache } from '../dist/store/index.js';
import { FakeExchange } from '../dist/testing/fake-exchange.js';

const MIN = 60_000;
const ASSETS = 10;
const to = Math.floor((Date.now() - 60 * MIN) / MIN) * MIN;
const from = to - 365 * 24 * 60 * MIN;
const exchange = await new FakeExchange().start();
const cache = new MemoryKlineCache();
const lines = ['monitors:'];
const t0 = performance.now();
for (let a = 0; a < ASSETS; a++) {
  const symbol = `A${a}USDT`;
  exchange.setPrice(symbol, 100);
  const candles = [];
  for (let t = from - 25 * 60 * MIN; t <= to; t += MIN) candles.push({ openTime: t, close: 100 + 10 * Math.sin(t / (97 * MIN) + a), closeTime: t + MIN - 1 });
  await cache.put(symbol, '1m', from - 25 * 60 * MIN, to + MIN - 1, candles);
  lines.push(`  - { name: m${a}, monitoring_mode: market, check_interval: 60, monitored_assets: [{ asset: A${a}, condition: ">> 109" }] }`);
}
console.log(`## replay: a year of 1-minute checks of ${ASSETS} monitors from the cache (filled in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const config = parseConfig(lines.join('\n') + '\n', 'bench.yaml', {});
const client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
const listed = { key: 'listed', fetch: async () => ({ known: false, listed: () => false }) };
const started = performance.now();
const result = await replay({ monitors: config.monitors, from, to, client, cache, listed });
const seconds = (performance.now() - started) / 1000;
const checks = result.summaries.reduce((n, s) => n + s.checks, 0);
console.log(
  `${result.slots.toLocaleString('en-US')} slots, ${checks.toLocaleString('en-US')} checks, ${result.events.length.toLocaleString('en-US')} events, ${result.requests} requests: ${seconds.toFixed(1)} s (${Math.round(checks / seconds).toLocaleString('en-US')} checks/s); heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
);
client.close();
await exchange.stop();
