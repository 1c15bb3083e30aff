/**
 * `check` run beside `run` on one state file: both evaluate the same once-condition from
 * the same state at the same moment; the store's compare-and-set lets one commit and
 * makes the other re-read, so the alert fires once, with one id.
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
  exchange.setPrice('BTCUSDT', 70000, 60000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-beside-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
});

afterEach(() => exchange.stop());

const eventLines = (lines: readonly string[]) => lines.filter((l) => l.includes('condition_met')).map((l) => JSON.parse(l) as { id: string });

describe('check beside run on one state file', () => {
  it('cannot fire a once-alert twice when both check the same subject at the same time', async () => {
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 3600\n    monitored_assets: [{ asset: BTC, condition: ">> 65000" }]\n',
    );
    // Both processes wait on the same ticker answer, so both read the state before either writes.
    let release!: () => void;
    exchange.holdTicker = new Promise((resolve) => (release = resolve));

    const service = startCli(['run', '--config', config], { env });
    const serviceOut = new LineCollector(service.stdout!);
    await waitUntil(() => exchange.count('/api/v1/ticker/price') === 1, 15_000, 'the service to ask for prices');
    const check = runCli(['check', '--config', config], { env });
    await waitUntil(() => exchange.count('/api/v1/ticker/price') === 2, 15_000, 'check to ask for prices');
    release();
    exchange.holdTicker = null;

    const checked = await check;
    expect(checked.code).toBe(0);
    // Give the service time to commit (or re-evaluate) and deliver.
    await waitUntil(
      () => {
        const db = new Database(env.ASTERWATCH_STATE!, { readonly: true });
        try {
          return (
            (db.prepare('SELECT COUNT(*) AS n FROM monitor_status').get() as { n: number }).n === 1 &&
            (db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'").get() as { n: number }).n === 0
          );
        } finally {
          db.close();
        }
      },
      15_000,
      'the service to finish its round',
    );
    service.kill('SIGTERM');
    expect(await new Promise((resolve) => service.on('exit', resolve))).toBe(0);

    const db = new Database(env.ASTERWATCH_STATE!, { readonly: true });
    const stored = db.prepare('SELECT id FROM events').all() as Array<{ id: string }>;
    const state = db.prepare('SELECT armed, version FROM subject_state').all();
    db.close();
    expect(stored).toHaveLength(1);
    // One commit won (version 1); the other was refused, re-read, held, and wrote version 2.
    expect(state).toEqual([{ armed: 0, version: 2 }]);
    const printed = [...eventLines(checked.stdout.split('\n')), ...eventLines(serviceOut.lines)];
    expect(printed.map((e) => e.id)).toEqual([stored[0]!.id]);
  });
});
