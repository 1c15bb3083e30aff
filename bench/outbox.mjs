// Figure for issue 5: events per second through the outbox to a local webhook
// receiver (signed deliveries, real SQLite file, real HTTP), and the latency from
// raise (the round's commit) to receipt: median and p99.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEVERITY } from '../dist/condition/index.js';
import { Outbox } from '../dist/delivery/outbox.js';
import { WebhookSink } from '../dist/delivery/sinks/webhook.js';
import { marketEvent } from '../dist/modes/market/index.js';
import { silentLogger } from '../dist/log/logger.js';
import { SqliteStore } from '../dist/store/index.js';

const BURST = 5000;
const STEADY = 2000;
const STEADY_PER_ROUND = 10;
const STEADY_EVERY_MS = 50;

const raisedAt = new Map();
let latencies = [];
let received = 0;
let target = 0;
let done;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { id } = JSON.parse(body);
    latencies.push(performance.now() - raisedAt.get(id));
    res.writeHead(204).end();
    if (++received === target) done();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/hook`;

const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'aw-bench-outbox-')), 'state.db'));
const sink = new WebhookSink('ops', url, 'a-shared-secret-of-32-characters!', 0, 5000);
const outbox = new Outbox(store, [sink], silentLogger());
outbox.start();

let roundTime = 0;
async function raise(count) {
  const events = [];
  roundTime++;
  for (let i = 0; i < count; i++) {
    const event = marketEvent(
      { monitor: `m${i}`, condition: '> 1', severity: SEVERITY.low, roundTime, checkedAt: new Date() },
      { asset: 'BTC', symbol: 'BTCUSDT', current: 2, previous: 1 },
    );
    events.push({ event, monitor: `m${i}`, severity: 0.15, sinks: ['ops'] });
  }
  const now = performance.now();
  for (const e of events) raisedAt.set(e.event.id, now);
  await store.commit({ roundTime, checkedAt: Date.now(), states: [], statuses: [], events });
  outbox.notify();
}
const expect = (count) => {
  target = received + count;
  return new Promise((resolve) => (done = resolve));
};
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);

console.log('## outbox -> local webhook (signed, real SQLite file, one sink, in order)');
// Throughput: a burst of events raised in one round, drained as fast as the sink goes.
let arrived = expect(BURST);
let start = performance.now();
await raise(BURST);
await arrived;
const seconds = (performance.now() - start) / 1000;
console.log(`throughput: ${BURST} events raised in one round, delivered in ${seconds.toFixed(2)} s = ${(BURST / seconds).toFixed(0)} events/s`);

// Latency: a steady load well under capacity, as rounds produce it.
latencies = [];
arrived = expect(STEADY);
for (let sent = 0; sent < STEADY; sent += STEADY_PER_ROUND) {
  await raise(STEADY_PER_ROUND);
  await new Promise((resolve) => setTimeout(resolve, STEADY_EVERY_MS));
}
await arrived;
latencies.sort((a, b) => a - b);
console.log(
  `latency raise -> receipt at ${(STEADY_PER_ROUND * 1000) / STEADY_EVERY_MS} events/s: median ${at(latencies, 0.5)} ms, p99 ${at(latencies, 0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`,
);
await outbox.stop();
await store.close();
server.close();
