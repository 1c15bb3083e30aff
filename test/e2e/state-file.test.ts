/**
 * The state file as an operator meets it: private to its owner, and never silently
 * replaced when it has been truncated.
 */
import { mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;
let config: string;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 70000, 60000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-state-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state', 'state.db'), LOG_LEVEL: 'warn' };
  config = join(dir, 'monitors.yaml');
  writeFileSync(config, 'monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: ">> 65000" }] }\n');
});

afterEach(() => exchange.stop());

describe('the state database file', () => {
  it('is created readable and writable by its owner only, in a private directory', async () => {
    expect((await runCli(['check', '--config', config], { env })).code).toBe(0);
    expect(statSync(env.ASTERWATCH_STATE!).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
  });

  it('is refused when it has been truncated to nothing, unless asked to start fresh', async () => {
    const first = await runCli(['check', '--config', config], { env });
    expect(first.stdout).toContain('condition_met');
    truncateSync(env.ASTERWATCH_STATE!, 0);

    const refused = await runCli(['check', '--config', config], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/the state database .* is an empty file: .* pass --fresh-state to start with an empty state$/);
    expect(refused.stdout).toBe(''); // the once-alert did not fire again
    expect(statSync(env.ASTERWATCH_STATE!).size).toBe(0);

    const fresh = await runCli(['check', '--config', config, '--fresh-state'], { env });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('condition_met');
  });
});
