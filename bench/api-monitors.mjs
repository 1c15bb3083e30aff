// Figure for issue 16: GET /api/monitors at 10,000 monitors, after a round — the size of a page
// and how long the event loop is held answering it (target: no response over 1 MB, no block
// over 20 ms). In-process (fastify inject): the time is the route's own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHttpApp } from '../dist/http/server.js';
import { silentLogger } from '../dist/log/logger.js';
import { Service } from '../dist/service/service.js';
import { assetName, startExchange } from './_setup.mjs';

const MONITORS = 10_000;
const exchange = await startExchange(200);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-api-'));
const lines = ['monitors:'];
for (let m = 0; m < MONITORS; m++)
  lines.push(`  - { name: m${m}, monitoring_mode: market, monitored_assets: [{ asset: ${assetName(m % 200)}, condition: ">> 50%" }] }`);
writeFileSync(join(dir, 'monitors.yaml'), lines.join('\n') + '\n');
const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
const { app, context } = buildHttpApp(service);
// Two rounds, so every subject has state and chart history.
for (const slot of [60_000, 120_000]) context.history.record(slot, (await service.runRound(slot)).checks);
console.log(`## GET /api/monitors, ${MONITORS.toLocaleString('en-US')} monitors (median of 9, min–max)`);
for (const query of ['', '?limit=200', '?offset=9900']) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    const response = await app.inject(`/api/monitors${query}`);
    const ms = performance.now() - start;
    bytes = response.rawPayload.length;
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `/api/monitors${query.padEnd(12)} ${(bytes / 1024).toFixed(0).padStart(5)} KiB in ${samples[4].toFixed(1)} ms (${samples[0].toFixed(1)}–${samples.at(-1).toFixed(1)})`,
  );
}
await app.close();
await service.store.close();
await exchange.stop();
