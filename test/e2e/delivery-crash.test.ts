import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { waitUntil } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;
const ASSETS = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP'];

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  ASSETS.forEach((asset, i) => exchange.setPrice(`${asset}USDT`, 100 + i, 50));
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-crash-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
});

afterEach(() => exchange.stop());

function storedIds(): string[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(env.ASTERWATCH_STATE!, { readonly: true, fileMustExist: true });
    return (db.prepare('SELECT id FROM events ORDER BY seq').all() as Array<{ id: string }>).map((r) => r.id);
  } catch {
    return []; // not created yet
  } finally {
    db?.close();
  }
}

describe('delivery across a crash and a receiver outage', () => {
  it('delivers every event raised while the receiver was down, after kill -9 and a restart', async () => {
    // Reserve a port, then leave it closed: the receiver is "down".
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();

    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      `sinks:
  ops:
    type: webhook
    url: http://127.0.0.1:${port}/hook
    secret: \${HOOK_SECRET}
monitors:
  - name: crash
    monitoring_mode: market
    check_interval: 3600
    notify: [ops]
    monitored_assets: [${ASSETS.map((a) => `{ asset: ${a}, condition: ">> 5%" }`).join(', ')}]
`,
    );
    const runEnv = { ...env, HOOK_SECRET: 'a-shared-secret-of-32-characters!' };

    const first = startCli(['run', '--config', config], { env: runEnv });
    await waitUntil(() => storedIds().length === ASSETS.length, 15_000, 'the events to be stored');
    const raised = storedIds();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('exit', resolve));

    const pending = await runCli(['outbox', '--json'], { env });
    expect(JSON.parse(pending.stdout).sinks).toEqual([expect.objectContaining({ sink: 'ops', pending: ASSETS.length, dead: 0 })]);

    const receiver = await new Receiver().start(port);
    try {
      const second = startCli(['run', '--config', config], { env: runEnv });
      const arrivedIds = () => new Set(receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id));
      await waitUntil(() => raised.every((id) => arrivedIds().has(id)), 20_000, 'every event to arrive');
      second.kill('SIGTERM');
      expect(await new Promise((resolve) => second.on('exit', resolve))).toBe(0);
      expect([...arrivedIds()].sort()).toEqual([...raised].sort());
      // Nothing was acknowledged before the crash, so nothing is delivered twice.
      expect(receiver.received).toHaveLength(raised.length);
      const after = await runCli(['outbox', '--json'], { env });
      expect(JSON.parse(after.stdout).sinks).toEqual([expect.objectContaining({ sink: 'ops', pending: 0, dead: 0, done: ASSETS.length })]);
    } finally {
      await receiver.stop();
    }
  });
});
