// Figure for issue 16: committing a storm — 10,000 events with a delivery each, durable, in one
// transaction — into a state database that already keeps 500,000 events over 30 days (retention
// holds weeks of them), the store alone. Before version 8 of the schema, events were unique by a random
// UUID, so every insert wrote into a random page of that index; now by (slot, id), in order.
// `node bench/storm-retained.mjs [DIST]` runs against another build's dist/ (before/after).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const { SqliteStore } = await import(pathToFileURL(join(dist, 'store/index.js')).href);
const { marketEvent } = await import(pathToFileURL(join(dist, 'modes/market/index.js')).href);
const { SEVERITY } = await import(pathToFileURL(join(dist, 'condition/index.js')).href);

const STORM = 10_000;
const RETAINED = 500_000;
const MEASURED = 8;
const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'aw-bench-storm-')), 'state.db'));

// The kept events span 30 days (retention's default), one earlier storm every ~14 hours.
const SPACING_MS = (30 * 86_400_000) / (RETAINED / STORM);
function storm(round) {
  const roundTime = (round + 1) * SPACING_MS;
  const events = [];
  for (let m = 0; m < STORM; m++) {
    const event = marketEvent(
      { monitor: `m${m}`, condition: '> 1', severity: SEVERITY.low, roundTime, checkedAt: new Date(roundTime) },
      { asset: 'BTC', symbol: 'BTCUSDT', current: 2, previous: 1 },
    );
    events.push({ event, monitor: `m${m}`, severity: 0.15, sinks: ['hook'] });
  }
  return { roundTime, checkedAt: roundTime, states: [], statuses: [], events };
}

for (let r = 0; r < RETAINED / STORM; r++) {
  await store.commit(storm(r));
  store.checkpointNow?.();
}
const samples = [];
const copies = [];
for (let r = 0; r < MEASURED; r++) {
  const round = storm(RETAINED / STORM + r); // built before the clock starts: the store's time alone
  const start = performance.now();
  await store.commit(round);
  samples.push(performance.now() - start);
  // The log is copied into the database after the commit, outside it (src/store/sqlite/checkpoint.ts).
  const copyStart = performance.now();
  store.checkpointNow?.();
  copies.push(performance.now() - copyStart);
}
copies.sort((a, b) => a - b);
samples.sort((a, b) => a - b);
console.log(
  `storm commit (${STORM.toLocaleString('en-US')} events with deliveries, ${RETAINED.toLocaleString('en-US')} kept): median ${samples[MEASURED >> 1].toFixed(0)} ms (${samples[0].toFixed(0)}–${samples.at(-1).toFixed(0)})${store.checkpointNow ? `, then a checkpoint of ${copies[MEASURED >> 1].toFixed(0)} ms` : ''} [${dist}]`,
);
await store.close();
