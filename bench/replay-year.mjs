// Figure for issue 14: a year of 1-minute checks (525,600 slots) of 10 market monitors (one
// asset each), replayed from the kline cache (a SQLite file filled beforehand: no request), on
// one core; the time includes reading the candles from the cache.
// Target: under 5 s.
import { parseConfig } from '../dist/config/index.js';
import { AsterClient } from '../dist/exchange/index.js';
import { replay } from '../dist/replay/replay.js';
import { tuneHeapForReplay } from '../dist/replay/heap.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKlineCache } from '../dist/store/index.js';
import { FakeExchange } from '../dist/testing/fake-exchange.js';

const MIN = 60_000;
const ASSETS = 10;
const to = Math.floor((Date.now() - 60 * MIN) / MIN) * MIN;
const DAYS = Number(process.argv[2] ?? 365);
const from = to - DAYS * 24 * 60 * MIN;
const exchange = await new FakeExchange().start();
// The cache as the command keeps it: a SQLite file (not the process's heap).
const cache = SqliteKlineCache.open(join(mkdtempSync(join(tmpdir(), 'aw-bench-replay-')), 'cache.db'));
const lines = ['monitors:'];
const t0 = performance.now();
for (let a = 0; a < ASSETS; a++) {
  const symbol = `A${a}USDT`;
  exchange.setPrice(symbol, 100);
  // In pages of 1,500 candles, as the replay itself fills the cache from the exchange.
  for (let start = from - 25 * 60 * MIN; start <= to; start += 1500 * MIN) {
    const candles = [];
    for (let t = start; t < start + 1500 * MIN && t <= to; t += MIN)
      candles.push({ openTime: t, close: 100 + 10 * Math.sin(t / (97 * MIN) + a), closeTime: t + MIN - 1 });
    await cache.put(symbol, '1m', start, start + 1500 * MIN - 1, candles);
  }
  lines.push(`  - { name: m${a}, monitoring_mode: market, check_interval: 60, monitored_assets: [{ asset: A${a}, condition: ">> 109" }] }`);
}
console.log(`## replay: a year of 1-minute checks of ${ASSETS} monitors from the cache (filled in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const config = parseConfig(lines.join('\n') + '\n', 'bench.yaml', {});
const client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
const listed = { key: 'listed', fetch: async () => ({ known: false, listed: () => false }) };
// As the `replay` command does (see src/replay/heap.ts).
tuneHeapForReplay();
const started = performance.now();
const result = await replay({ monitors: config.monitors, from, to, client, cache, listed });
const seconds = (performance.now() - started) / 1000;
const checks = result.summaries.reduce((n, s) => n + s.checks, 0);
console.log(
  `${result.slots.toLocaleString('en-US')} slots, ${checks.toLocaleString('en-US')} checks, ${result.events.length.toLocaleString('en-US')} events, ${result.requests} requests: ${seconds.toFixed(1)} s (${Math.round(checks / seconds).toLocaleString('en-US')} checks/s); heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
);
client.close();
await cache.close();
await exchange.stop();
