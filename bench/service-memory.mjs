// Figure for issue 16: resident memory of the service with its HTTP surface (`run --http`)
// and 10,000 market monitors over 200 rounds — rounds run back to back through the service
// (as the scheduler would run them, without waiting a minute between), with the dashboard's
// chart history and the metrics fed by every round, and the API asked for a page now and then.
// Target: < 150 MB resident. Run with the command's V8 setting.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetName, startExchange } from './_setup.mjs';

if (process.argv[2] !== 'child') {
  execFileSync(process.execPath, ['--max-semi-space-size=4', '--expose-gc', fileURLToPath(import.meta.url), 'child'], { stdio: 'inherit' });
  process.exit(0);
}
const { buildHttpApp } = await import('../dist/http/server.js');
const { silentLogger } = await import('../dist/log/logger.js');
const { Service } = await import('../dist/service/service.js');

const MONITORS = 10_000;
const ROUNDS = 200;
const exchange = await startExchange(200);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-memory-'));
const lines = ['monitors:'];
for (let m = 0; m < MONITORS; m++)
  lines.push(
    `  - { name: m${m}, monitoring_mode: market, monitored_assets: [{ asset: ${assetName(m % 200)}, condition: "> ${100 + (m % 200) + (m % 100 === 0 ? -1 : 1)}" }] }`,
  );
writeFileSync(join(dir, 'monitors.yaml'), lines.join('\n') + '\n');
const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
const { app } = buildHttpApp(service);
const mb = (bytes) => (bytes / 1048576).toFixed(0);
console.log(`## the service with --http, ${MONITORS.toLocaleString('en-US')} monitors (1% fire each round), ${ROUNDS} rounds`);
const started = performance.now();
for (let i = 1; i <= ROUNDS; i++) {
  await service.runRound(i * 60_000);
  if (i % 20 === 0) {
    await app.inject('/api/monitors');
    await app.inject('/metrics');
  }
  if (i === 1 || i === ROUNDS / 2 || i === ROUNDS) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(`after round ${String(i).padStart(3)}: resident ${mb(m.rss)} MB, live heap ${mb(m.heapUsed)} MB (after a full collection)`);
  }
}
console.log(
  `${ROUNDS} rounds in ${((performance.now() - started) / 1000).toFixed(1)} s; peak resident ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (YAML parse included)`,
);
await app.close();
await service.store.close();
await exchange.stop();
