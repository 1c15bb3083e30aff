/**
 * Shutdown and start-up failures of `asterwatch run`, as an operator meets them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil } from '../helpers/lines.js';

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-shutdown-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
});

afterEach(async () => {
  exchange.holdTicker = null;
  await exchange.stop();
});

describe('asterwatch run at shutdown', () => {
  it('abandons a round stuck on the exchange at the deadline, writes nothing, and exits when it says it stopped', async () => {
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 3600\n    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n',
    );
    exchange.holdTicker = new Promise(() => undefined); // the exchange never answers
    const child = startCli(['run', '--config', config], { env });
    const stderr = new LineCollector(child.stderr!);
    await waitUntil(() => exchange.count('/api/v1/ticker/price') >= 1, 15_000, 'the round to ask for prices');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const tookMs = Date.now() - signalled;

    expect(code).toBe(0);
    // The drain deadline is 10 s; the process ends right after it, not 30 s later.
    expect(tookMs).toBeLessThan(14_000);
    const lines = stderr.lines.filter(Boolean).map((line) => JSON.parse(line) as { msg: string; level: number });
    const stoppedAt = lines.findIndex((l) => l.msg === 'stopped cleanly');
    expect(stoppedAt).toBeGreaterThan(0);
    expect(lines.slice(stoppedAt + 1)).toEqual([]);
    expect(lines.some((l) => /abandoned/.test(l.msg))).toBe(true);
    const db = new Database(env.ASTERWATCH_STATE!, { readonly: true });
    try {
      // Nothing was recorded for the abandoned slot: it re-runs at the next start.
      expect(db.prepare('SELECT COUNT(*) AS n FROM monitor_status').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 30_000);
});

describe('asterwatch run with a schedule it cannot run', () => {
  it('ends with a one-line message and does not stay up behind its HTTP surface', async () => {
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'monitors:\n  - name: month-end\n    monitoring_mode: market\n    schedule: "0 0 L * *"\n    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n',
    );
    const result = await runCli(['run', '--config', config, '--http', '0'], { env, timeoutMs: 20_000 });
    // Refused when the file is read (validation runs the scheduler's own parser), before anything listens.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/monitors\[0\]\.schedule: "0 0 L \* \*" uses L, W or #/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('asterwatch run --http on a port already in use', () => {
  it('prints one line naming the address and exits 2', async () => {
    const { createServer } = await import('node:http');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const config = join(dir, 'monitors.yaml');
      writeFileSync(config, 'monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n');
      const result = await runCli(['run', '--config', config, '--http', String(port)], { env: { ...env, LOG_LEVEL: 'silent' } });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `cannot serve HTTP on 127.0.0.1:${port} (EADDRINUSE): another program listens there; stop it or choose another port with --http or HTTP_PORT`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
