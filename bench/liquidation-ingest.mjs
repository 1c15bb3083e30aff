// Figure for issue 11: liquidation messages per second from a local WebSocket server (its own
// process, so the feed has this one core) through parsing, normalisation, dedupe and
// group-committed storage in a SQLite file; latency from the frame's send time to its
// commit (median, p99). Target: >= 20,000 messages/s; p99 < 300 ms.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../dist/log/logger.js';
import { SqliteStore } from '../dist/store/index.js';
import { LiquidationFeed } from '../dist/streams/liquidations/feed.js';

const SECONDS = 10;
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function run(rate) {
  const sender = fork(fileURLToPath(new URL('./_stream-sender.mjs', import.meta.url)), [String(rate), String(SECONDS)]);
  const { port } = await new Promise((resolve) => sender.once('message', resolve));
  const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'aw-bench-liq-')), 'state.db'));
  const feed = new LiquidationFeed({
    venues: ['aster'],
    store: store.liquidations,
    logger: silentLogger(),
    lifetimeSeconds: 3600,
    env: { ASTER_WS_URL: `ws://127.0.0.1:${port}/ws` },
  });
  const latencies = [];
  let stored = 0;
  let first = 0;
  let last = 0;
  feed.subscribe((rows) => {
    const now = Date.now();
    if (first === 0) first = performance.now();
    last = performance.now();
    for (const l of rows) latencies.push(now - l.time);
    stored += rows.length;
  });
  await feed.start();
  const sent = await new Promise((resolve) => sender.on('message', (m) => m.sent !== undefined && resolve(m.sent)));
  for (let i = 0; i < 300 && stored < sent; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  await feed.stop();
  sender.kill();
  await store.close();
  latencies.sort((a, b) => a - b);
  const seconds = (last - first) / 1000;
  console.log(
    `offered ${String(rate).padStart(6)}/s: stored ${stored} of ${sent} (dropped ${feed.dropped}) in ${seconds.toFixed(2)} s = ${Math.round(stored / seconds)} messages/s; send -> commit median ${at(latencies, 0.5)} ms, p99 ${at(latencies, 0.99)} ms, max ${latencies.at(-1)} ms`,
  );
}

console.log('## liquidation feed ingestion (local WebSocket server in its own process; one core for the feed)');
for (const rate of [500, 5_000, 20_000, 40_000]) await run(rate);
