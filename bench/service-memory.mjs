// Figure for issue 16: resident memory of the service with its HTTP surface (`run --http`)
// and 10,000 market monitors over 200 rounds, with the dashboard's chart history and the
// metrics fed by every round, and the API asked for a page now and then. Twice:
// - paced: rounds with idle time between them, as the scheduler runs them (intervals are at
//   least 60 s; here 150 ms, time enough for the idle collection the run command turns on);
// - back to back: no idle time at all, as when rounds overrun their interval.
// The measured process holds the service alone: the fake exchange runs in this parent
// process, as the real exchange is elsewhere. Target: < 150 MB resident.
// Run with the command's V8 settings (young generation, heap growth).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const MONITORS = 10_000;
const ROUNDS = 200;

if (process.argv[2] !== 'child') {
  const { assetName, startExchange } = await import('./_setup.mjs');
  const exchange = await startExchange(200);
  const dir = mkdtempSync(join(tmpdir(), 'aw-bench-memory-'));
  const lines = ['monitors:'];
  for (let m = 0; m < MONITORS; m++)
    lines.push(
      `  - { name: m${m}, monitoring_mode: market, monitored_assets: [{ asset: ${assetName(m % 200)}, condition: "> ${100 + (m % 200) + (m % 100 === 0 ? -1 : 1)}" }] }`,
    );
  writeFileSync(join(dir, 'monitors.yaml'), lines.join('\n') + '\n');
  for (const pace of ['paced', 'back-to-back']) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--max-semi-space-size=4', '--expose-gc', fileURLToPath(import.meta.url), 'child', dir, exchange.url, pace],
      { maxBuffer: 1 << 20 },
    );
    process.stdout.write(stdout);
  }
  await exchange.stop();
  process.exit(0);
}

const [dir, exchangeUrl, pace] = process.argv.slice(3);
const PACE_MS = 150;
const { tuneHeapForService } = await import('../dist/service/heap.js');
const idleCollection = tuneHeapForService(); // as the run command does
const { buildHttpApp } = await import('../dist/http/server.js');
const { silentLogger } = await import('../dist/log/logger.js');
const { Service } = await import('../dist/service/service.js');

/** Resident and peak resident of this process, from the kernel (MB). */
function resident() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
const mb = (bytes) => (bytes / 1048576).toFixed(0);
console.log(
  `## the service with --http, ${MONITORS.toLocaleString('en-US')} monitors (1% fire each round), ${ROUNDS} rounds ${pace === 'paced' ? `${PACE_MS} ms apart` : 'back to back'}`,
);
console.log(`before the configuration: resident ${resident().now.toFixed(0)} MB (Node and the service's modules)`);
const service = Service.open({
  configPath: join(dir, 'monitors.yaml'),
  statePath: join(dir, 'state.db'),
  logger: silentLogger(),
  baseUrl: exchangeUrl,
  idleCollection,
});
const { app } = buildHttpApp(service);
const started = performance.now();
for (let i = 1; i <= ROUNDS; i++) {
  await service.runRound(i * 60_000);
  if (pace === 'paced') await new Promise((resolve) => setTimeout(resolve, PACE_MS));
  if (i % 20 === 0) {
    await app.inject('/api/monitors');
    await app.inject('/metrics');
  }
  if (i === 1 || i === ROUNDS / 2 || i === ROUNDS) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(
      `after round ${String(i).padStart(3)}: resident ${resident().now.toFixed(0)} MB, live heap ${mb(m.heapUsed)} MB after a full collection (heap ${mb(m.heapTotal)} MB, array buffers ${mb(m.arrayBuffers)} MB)`,
    );
  }
}
console.log(
  `${ROUNDS} rounds in ${((performance.now() - started) / 1000).toFixed(1)} s; peak resident ${resident().peak.toFixed(0)} MB (YAML parse included); ${service.idleCollector?.collections ?? 0} idle collections`,
);
await app.close();
await service.store.close();
