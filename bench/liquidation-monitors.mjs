// Figure for issue 12: liquidation messages per second through 1,000 liquidation monitors
// (per-liquidation and rolling-window, mixed) in the service, from a local WebSocket server in
// its own process; latency from a frame's send time to its event being in the outbox
// (committed), median and p99. Target: p99 < 100 ms at 500 messages/s with 1,000 monitors.
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../dist/log/logger.js';
import { Service } from '../dist/service/service.js';

const SECONDS = 10;
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * 1,000 monitors: 499 per liquidation (thresholds above what the sender sends, as whale alerts
 * are: they evaluate every liquidation and rarely fire), 500 rolling windows (60 s to 15 min, per
 * symbol or all), and one probe that fires on every liquidation: the latency is read from its events.
 */
function monitorsYaml() {
  const lines = ['liquidations: { venues: [aster] }', 'sinks:', '  archive: { type: file, path: ./events.jsonl }', 'monitors:'];
  lines.push('  - { name: probe, monitoring_mode: liquidations, condition: "> 0", notify: [archive] }');
  for (let i = 0; i < 499; i++) {
    const symbols = i % 3 === 0 ? `, symbols: [S${i % 200}USDT, S${(i + 1) % 200}USDT, S${(i + 2) % 200}USDT]` : '';
    const side = ['any', 'long', 'short'][i % 3];
    lines.push(`  - { name: whale-${i}, monitoring_mode: liquidations, side: ${side}, condition: ">= ${20 + (i % 10)}k"${symbols}, notify: [archive] }`);
  }
  for (let i = 0; i < 500; i++) {
    const window = [60, 300, 900][i % 3];
    const group = i % 2 === 0 ? 'symbol' : 'all';
    const condition = i % 5 === 0 ? '>> 100%' : `>> ${group === 'all' ? 50 + (i % 50) : 1 + (i % 10)}M`;
    lines.push(`  - { name: window-${i}, monitoring_mode: liquidations, window: ${window}, group_by: ${group}, condition: "${condition}", notify: [archive] }`);
  }
  return lines.join('\n') + '\n';
}

async function run(rate) {
  const sender = fork(fileURLToPath(new URL('./_stream-sender.mjs', import.meta.url)), [String(rate), String(SECONDS)]);
  const { port } = await new Promise((resolve) => sender.once('message', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'aw-bench-liqmon-'));
  writeFileSync(join(dir, 'monitors.yaml'), monitorsYaml());
  process.env.ASTER_WS_URL = `ws://127.0.0.1:${port}/ws`;
  const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger() });
  const latencies = [];
  let events = 0;
  let batches = 0;
  let batchMs = 0;
  const durations = [];
  service.hooks.on('batch', (batch) => {
    const now = Date.now();
    batches++;
    batchMs += batch.durationMs;
    durations.push([
      batch.durationMs,
      batch.items,
      batch.checks.reduce((n, c) => n + c.states.length, 0),
      batch.checks.reduce((n, c) => n + c.subjects.length, 0),
    ]);
    events += batch.events.length;
    for (const stored of batch.events) if (stored.event.data.monitor === 'probe') latencies.push(now - Date.parse(stored.event.data.time));
  });
  // The feed and the monitors, not the outbox: the figure is receipt -> event committed to the outbox.
  await service.liquidationFeed.start();
  await service.streams.start();
  const started = performance.now();
  const sent = await new Promise((resolve) => sender.on('message', (m) => m.sent !== undefined && resolve(m.sent)));
  for (let i = 0; i < 600 && latencies.length < sent; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  await service.streams.stop();
  await service.liquidationFeed.stop();
  sender.kill();
  await service.store.close();
  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_DEBUG)
    console.log(
      durations
        .sort((a, b) => b[0] - a[0])
        .slice(0, 8)
        .map((d) => d.join('/'))
        .join('  '),
    );
  console.log(
    `offered ${String(rate).padStart(5)}/s for ${SECONDS} s: ${latencies.length} of ${sent} evaluated by all 1,000 monitors in ${seconds.toFixed(1)} s; ` +
      `send -> event in the outbox median ${at(latencies, 0.5)} ms, p99 ${at(latencies, 0.99)} ms, max ${latencies.at(-1)} ms; ` +
      `${batches} batches (mean ${(batchMs / Math.max(1, batches)).toFixed(1)} ms), ${events} events`,
  );
}

console.log('## liquidation monitors: 1,000 monitors (499 per liquidation, 500 rolling windows, 1 probe) on one core');
for (const rate of process.argv[2] === undefined ? [500, 2_000, 5_000] : process.argv.slice(2).map(Number)) await run(rate);
