/**
 * `check` and its deliveries, through the real CLI: it waits for a retry within its bound,
 * then says what is still pending; a file sink in a missing directory stops it at start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { Receiver } from '../helpers/receiver.js';

let exchange: FakeExchange;
let receiver: Receiver;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 70000, 60000);
  receiver = await new Receiver().start();
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-delivery-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'error' };
});

afterEach(async () => {
  await receiver.stop();
  await exchange.stop();
});

function config(sinks: string): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(
    file,
    `sinks:\n${sinks}\nmonitors:\n  - { name: m, monitoring_mode: market, notify: [stdout, out], monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n`,
  );
  return file;
}

describe('asterwatch check and its deliveries', () => {
  it('waits for a retry after a 503 and delivers, without a warning', async () => {
    receiver.answers.push({ status: 503, body: { error: 'busy' } });
    const result = await runCli(['check', '--config', config(`  out: { type: webhook, url: "${receiver.url}/hook" }`)], { env });
    expect(result.code).toBe(0);
    expect(receiver.received).toHaveLength(2);
    expect(result.stderr).not.toContain('still pending');
  });

  it('says, after its 10 s bound, which deliveries are still pending', async () => {
    receiver.defaultAnswer = { status: 503, body: { error: 'down' } };
    const started = Date.now();
    const result = await runCli(['check', '--config', config(`  out: { type: webhook, url: "${receiver.url}/hook" }`)], { env, timeoutMs: 25_000 });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(result.stderr).toContain('asterwatch check: deliveries still pending after 10 s (out: 1); the service (asterwatch run) will retry them');
  }, 30_000);

  it('refuses a file sink in a directory that does not exist, at start, with exit 1', async () => {
    const result = await runCli(['check', '--config', config('  out: { type: file, path: ./missing/alerts.jsonl }')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^sink "out": the directory .*missing does not exist \(.*alerts\.jsonl\); create the directory, or point path: at an existing one$/,
    );
  });
});
