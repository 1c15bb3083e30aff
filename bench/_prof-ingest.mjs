// Profiling aid (not a figure): the feed under 40,000 offered messages/s for 6 s; run with --cpu-prof.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../dist/log/logger.js';
import { SqliteStore } from '../dist/store/index.js';
import { LiquidationFeed } from '../dist/streams/liquidations/feed.js';

const sender = fork(fileURLToPath(new URL('./_stream-sender.mjs', import.meta.url)), ['40000', '6']);
const { port } = await new Promise((resolve) => sender.once('message', resolve));
const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'aw-prof-liq-')), 'state.db'));
const feed = new LiquidationFeed({
  venues: ['aster'],
  store: store.liquidations,
  logger: silentLogger(),
  lifetimeSeconds: 3600,
  env: { ASTER_WS_URL: `ws://127.0.0.1:${port}/ws` },
});
let stored = 0;
feed.subscribe((rows) => (stored += rows.length));
await feed.start();
const sent = await new Promise((resolve) => sender.on('message', (m) => m.sent !== undefined && resolve(m.sent)));
for (let i = 0; i < 600 && stored < sent; i++) await new Promise((resolve) => setTimeout(resolve, 100));
await feed.stop();
sender.kill();
await store.close();
console.log('stored', stored);
