// Figure for issue 11: /api/liquidations/total, /series and /leaders over 10 days of data at
// 20 liquidations per second (17.28 million rows in a SQLite file), through the HTTP app.
// Target: /series over 10 days under 200 ms.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHttpApp } from '../dist/http/server.js';
import { silentLogger } from '../dist/log/logger.js';
import { Service } from '../dist/service/service.js';
import { SqliteStore } from '../dist/store/index.js';

const DAYS = Number(process.argv[2] ?? 10);
const PER_SECOND = 20;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const START = NOW - DAYS * 86_400_000;
const SYMBOLS = Array.from({ length: 150 }, (_, i) => `S${i}USDT`);

const dir = mkdtempSync(join(tmpdir(), 'aw-bench-liqq-'));
const state = join(dir, 'state.db');
const store = SqliteStore.open(state);
const total = DAYS * 86_400 * PER_SECOND;
const BATCH = 50_000;
let loadMs = 0;
for (let n = 0; n < total; n += BATCH) {
  const rows = [];
  for (let i = n; i < Math.min(total, n + BATCH); i++) {
    const price = 10 + (i % 5000);
    const quantity = 0.5 + (i % 37) / 10;
    rows.push({
      id: `b${i}`,
      venue: i % 5 === 0 ? 'binance' : 'aster',
      symbol: SYMBOLS[i % 150],
      asset: `S${i % 150}`,
      side: i % 3 === 0 ? 'short' : 'long',
      price,
      priceText: String(price),
      quantity,
      notionalUsd: price * quantity,
      time: START + Math.floor(i / PER_SECOND) * 1000 + (i % PER_SECOND) * 50,
    });
  }
  const t = performance.now();
  await store.liquidations.record(rows);
  loadMs += performance.now() - t;
}
await store.close();
console.log(
  `## liquidation queries over ${DAYS} days at ${PER_SECOND}/s (${total.toLocaleString('en-US')} rows; recorded at ${Math.round(total / (loadMs / 1000)).toLocaleString('en-US')} rows/s)`,
);

writeFileSync(
  join(dir, 'monitors.yaml'),
  `liquidations: { venues: [aster], retention_hours: ${DAYS * 24 + 24} }\nmonitors:\n  - { name: p, monitoring_mode: portfolio, mock_account_data: '{"balances":[]}' }\n`,
);
const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: state, logger: silentLogger(), now: () => NOW });
const { app } = buildHttpApp(service, { now: () => NOW });
const since = new Date(START).toISOString();
for (const [label, url] of [
  [`total, ${DAYS} days`, `/api/liquidations/total?since=${since}`],
  [`total, ${DAYS} days, ragged ends`, `/api/liquidations/total?since=${START + 12_345}&until=${NOW - 54_321}`],
  [`total, ${DAYS} days, one venue and side`, `/api/liquidations/total?since=${since}&venue=binance&side=short`],
  [`series 15m, ${DAYS} days `, `/api/liquidations/series?interval=15m&since=${since}`],
  [`series 1h, ${DAYS} days`, `/api/liquidations/series?interval=1h&since=${since}`],
  [`series 15m, ${DAYS} days, one symbol`, `/api/liquidations/series?interval=15m&since=${since}&symbol=S7USDT`],
  [`leaders, ${DAYS} days`, `/api/liquidations/leaders?since=${since}`],
  ['leaders, 24 h', `/api/liquidations/leaders`],
  [`largest 10, ${DAYS} days`, `/api/liquidations/largest?since=${since}`],
  ['largest 10, 24 h', `/api/liquidations/largest`],
  ['newest 50', `/api/liquidations`],
]) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const response = await app.inject(url);
    times.push(performance.now() - t);
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(38)} median ${times[3].toFixed(1).padStart(7)} ms (best ${times[0].toFixed(1)}, worst ${times[6].toFixed(1)})`);
}
await app.close();
await service.stop(1000);
