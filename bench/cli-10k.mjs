// Figure for issue 4, as a user runs it: `asterwatch check` (the real command, its own
// process) doing one round of 10,000 market monitors against a local exchange served
// from this process. Reports the command's peak resident memory (VmHWM, Linux) and the
// round time it logs. Target: < 150 MB resident.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetName, startExchange } from './_setup.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const MONITORS = 10_000;
const exchange = await startExchange(200);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-cli-'));
const lines = ['monitors:'];
for (let m = 0; m < MONITORS; m++)
  lines.push(`  - { name: m${m}, monitoring_mode: market, monitored_assets: [{ asset: ${assetName(m % 200)}, condition: "> 297" }] }`);
writeFileSync(join(dir, 'monitors.yaml'), `${lines.join('\n')}\n`);

function peakKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function check(label) {
  // Run as the bin runs it (the shebang's V8 flag included).
  const child = spawn(
    '/usr/bin/env',
    [
      '-S',
      readFileSync(CLI, 'utf8')
        .split('\n')[0]
        .replace(/^#!\/usr\/bin\/env -S /, ''),
      CLI,
      'check',
      '--config',
      join(dir, 'monitors.yaml'),
      '--state',
      join(dir, 'state.db'),
    ],
    {
      env: { ...process.env, ASTER_BASE_URL: exchange.url, LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let events = 0;
  child.stdout.on('data', (c) => (events += String(c).split('\n').filter(Boolean).length));
  child.stderr.on('data', (c) => (stderr += c));
  let peak = 0;
  const started = performance.now();
  const poll = setInterval(() => (peak = Math.max(peak, peakKb(child.pid))), 10);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const round = /"ms":(\d+),"msg":"round done"/.exec(stderr)?.[1];
  console.log(
    `${label.padEnd(26)} exit ${code}; round ${round} ms; whole command ${(performance.now() - started).toFixed(0)} ms; ${events} events; peak resident ${(peak / 1024).toFixed(0)} MB`,
  );
}

console.log(`## asterwatch check: one round of ${MONITORS.toLocaleString('en-US')} monitors in its own process`);
await check('first run (fetches baseline)');
await check('second run (from state)');
await exchange.stop();
