/**
 * Operations with the real CLI: `LOG_FILE` (JSON lines to a file besides standard error) and
 * the status line every `STATUS_INTERVAL` seconds; their mistakes are clear errors.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil } from '../helpers/lines.js';

let exchange: FakeExchange;
let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  dir = mkdtempSync(join(tmpdir(), 'aw-ops-'));
  config = join(dir, 'monitors.yaml');
  writeFileSync(config, 'monitors:\n  - name: majors\n    monitoring_mode: market\n    monitored_assets: [{ asset: BTC, condition: ">> 5%" }]\n');
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
});

afterEach(() => exchange.stop());

describe('LOG_FILE and STATUS_INTERVAL', () => {
  it('writes the JSON logs to the file besides standard error, with a status line at the interval', async () => {
    const logFile = join(dir, 'logs', 'asterwatch.log');
    mkdirSync(join(dir, 'logs'));
    const child = startCli(['run', '--config', config], { env: { ...env, LOG_FILE: logFile, STATUS_INTERVAL: '1' } });
    const stderr = new LineCollector(child.stderr!);
    try {
      await stderr.waitFor((l) => l.includes('"msg":"status"'), 15_000);
      await waitUntil(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"msg":"status"'), 5_000, 'the status line in the file');
      const lines = readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.msg === 'asterwatch started')).toBe(true);
      const status = lines.find((l) => l.msg === 'status')!;
      expect(status).toMatchObject({ level: 30, monitors: 1, failedRounds: 0, pendingDeliveries: 0, feedsConnected: 0, feeds: 0 });
      expect(typeof status.rounds).toBe('number');
      expect(typeof status.events).toBe('number');
      // The same lines on standard error.
      expect(stderr.lines.some((l) => l.includes('"msg":"asterwatch started"'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  }, 30_000);

  it('refuses a bad STATUS_INTERVAL and an unwritable LOG_FILE, naming them, without a stack trace', async () => {
    const interval = await runCli(['run', '--config', config], { env: { ...env, STATUS_INTERVAL: 'often' } });
    expect(interval.code).toBe(1);
    expect(interval.stderr).toMatch(/STATUS_INTERVAL must be a whole number of seconds from 0 \(off\)/);
    const file = await runCli(['run', '--config', config], { env: { ...env, LOG_FILE: join(dir, 'missing-dir', 'x.log') } });
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/LOG_FILE=.*missing-dir\/x\.log: cannot write the log file \(ENOENT\)/);
    for (const r of [interval, file]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
