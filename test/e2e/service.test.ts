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
  exchange.setPrice('ETHUSDT', 3000, 3000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-e2e-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
});

afterEach(async () => {
  await exchange.stop();
});

function writeConfig(yaml: string): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(file, yaml);
  return file;
}

const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; type: string; subject: string; data: Record<string, unknown> });

describe('asterwatch check against a local exchange', () => {
  it('runs a market round on the 24-hour baseline and prints the events as JSON lines', async () => {
    const config = writeConfig(
      'monitors:\n  - name: majors\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTC, condition: ">> 5%" }\n      - { asset: ETH, condition: ">> 5%" }\n',
    );
    const result = await runCli(['check', '--config', config], { env });
    expect(result.code).toBe(0);
    const [event, ...rest] = events(result.stdout);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'asterex.market.condition_met',
      source: 'asterwatch/monitors/majors',
      subject: 'BTC',
      data: {
        asset: 'BTC',
        symbol: 'BTCUSDT',
        current_price: 60000,
        previous_price: 50000,
        price_change: 20,
        price_change_amount: 10000,
        condition: '>> 5%',
        severity: 0.25,
        severity_label: 'medium',
      },
    });
    // Logs are pino JSON on standard error, never on standard output.
    expect(
      result.stderr
        .split('\n')
        .filter(Boolean)
        .every((l) => JSON.parse(l).service === 'asterwatch'),
    ).toBe(true);
  });

  it('runs a signed portfolio round', async () => {
    exchange.accounts.set('e2e-key', {
      secret: 'e2e-secret-value',
      balances: [
        { asset: 'BTC', free: '2', locked: '0' },
        { asset: 'USDT', free: '1000', locked: '0' },
      ],
    });
    const config = writeConfig('monitors:\n  - name: treasury\n    monitoring_mode: portfolio\n    api_key: ${KEY}\n    api_secret: ${SECRET}\n');
    const result = await runCli(['check', '--config', config], { env: { ...env, KEY: 'e2e-key', SECRET: 'e2e-secret-value' } });
    expect(result.code).toBe(0);
    expect(events(result.stdout)[0]!.data).toMatchObject({
      current_value: '$121,000.00',
      previous_value: '$101,000.00',
      change_amount: '+$20,000.00',
      change_percent: '+19.80%',
    });
    expect(result.stderr).not.toContain('e2e-secret-value');
  });

  it('does not fire a once-alert again after a restart, re-arms, and fires on the next edge', async () => {
    const config = writeConfig('monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_assets: [{ asset: BTC, condition: ">> 65000" }]\n');
    exchange.setPrice('BTCUSDT', 70000);
    expect(events((await runCli(['check', '--config', config], { env })).stdout)).toHaveLength(1);
    expect(events((await runCli(['check', '--config', config], { env })).stdout)).toHaveLength(0); // new process, same state
    exchange.setPrice('BTCUSDT', 60000);
    expect(events((await runCli(['check', '--config', config], { env })).stdout)).toHaveLength(0); // re-arms
    exchange.setPrice('BTCUSDT', 66000);
    expect(events((await runCli(['check', '--config', config], { env })).stdout).map((e) => e.data.current_price)).toEqual([66000]);
  });

  it('exits 2 when a check fails and still checks the other monitors', async () => {
    const config = writeConfig(
      'monitors:\n  - { name: bad, monitoring_mode: portfolio, api_key: wrong, api_secret: wrong }\n  - { name: good, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
    );
    const result = await runCli(['check', '--config', config], { env });
    expect(result.code).toBe(2);
    expect(events(result.stdout).map((e) => e.subject)).toEqual(['BTC']);
    expect(result.stderr).toContain('check of monitor \\"bad\\" failed');
  });

  it('checks only the monitor named by --monitor', async () => {
    const config = writeConfig(
      'monitors:\n  - { name: a, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n  - { name: b, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 1" }] }\n',
    );
    const result = await runCli(['check', '--config', config, '--monitor', 'b'], { env });
    expect(events(result.stdout).map((e) => e.subject)).toEqual(['ETH']);
  });
});

describe('configuration errors through the CLI', () => {
  it('validate exits 1 and prints every error with its position, without a stack trace', async () => {
    const config = writeConfig(
      'monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 10\n    monitored_assets:\n      - { asset: BTC, condition: "> 5k%" }\n      - { asset: NOPE, condition: "> 1" }\n',
    );
    const result = await runCli(['validate', '--config', config], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}:4:21: monitors[0].check_interval: must be at least 60 seconds`);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('validate names an unknown asset when the exchange is reachable', async () => {
    const config = writeConfig(
      'monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTC, condition: "> 1" }\n      - { asset: NOPE, condition: "> 1" }\n',
    );
    const result = await runCli(['validate', '--config', config], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}:6:18: monitors[0].monitored_assets[1].asset: unknown asset NOPE: the exchange has no NOPEUSDT pair`);
  });

  it('validate exits 0 on a valid file and warns about the default condition', async () => {
    const config = writeConfig('monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTC }\n');
    const result = await runCli(['validate', '--config', config], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid — 1 monitor');
    expect(result.stderr).toContain(`${config}:5:18: monitors[0].monitored_assets[0].asset: warning: BTC has no condition and uses the default "> 10"`);
  });

  it('exits 1 with a plain message on a bad LOG_LEVEL', async () => {
    const config = writeConfig('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n');
    const result = await runCli(['check', '--config', config], { env: { ...env, LOG_LEVEL: 'verbose' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; got "verbose"');
  });

  it('check and run exit 1 on a configuration error', async () => {
    const config = writeConfig('monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_asset: []\n');
    for (const command of ['check', 'run']) {
      const result = await runCli([command, '--config', config], { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('unknown field "monitored_asset"; did you mean "monitored_assets"?');
    }
  });
});

describe('asterwatch run', () => {
  it('emits events, and exits 0 on SIGTERM after finishing', async () => {
    const config = writeConfig(
      'monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 60\n    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n',
    );
    const child = startCli(['run', '--config', config], { env });
    const stdout = new LineCollector(child.stdout!);
    await stdout.waitFor((line) => line.includes('asterex.market.condition_met'));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('resumes cleanly after kill -9 in the middle of a round: the round re-runs with the same event ids', async () => {
    const config = writeConfig(
      'monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 3600\n    monitored_assets: [{ asset: BTC, condition: ">> 5%" }]\n',
    );
    let release!: () => void;
    exchange.holdTicker = new Promise((resolve) => (release = resolve));
    const first = startCli(['run', '--config', config], { env });
    await waitUntil(() => exchange.count('/api/v1/ticker/price') === 1, 15_000, 'the first round to ask for prices');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('exit', resolve));
    release();
    exchange.holdTicker = null;

    const second = startCli(['run', '--config', config], { env });
    const stdout = new LineCollector(second.stdout!);
    const line = await stdout.waitFor((l) => l.includes('condition_met'));
    second.kill('SIGTERM');
    expect(await new Promise((resolve) => second.on('exit', resolve))).toBe(0);

    const db = new Database(env.ASTERWATCH_STATE!, { readonly: true });
    const stored = db.prepare('SELECT id FROM events').all() as Array<{ id: string }>;
    const state = db.prepare('SELECT subject, armed FROM subject_state').all();
    db.close();
    expect(stored.map((r) => r.id)).toEqual([JSON.parse(line).id]);
    expect(state).toEqual([{ subject: 'BTC', armed: 0 }]);
  });
});

describe('asterwatch run --http mistakes', () => {
  it.each([
    [['--http', 'nope'], '--http (or HTTP_PORT) must be [HOST:]PORT'],
    [['--http', '0.0.0.0:8080'], 'refusing to serve HTTP on 0.0.0.0 without a token'],
  ])('exits 1 for %j before starting anything', async (flags, message) => {
    const config = writeConfig('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n');
    const result = await runCli(['run', '--config', config, ...flags], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(exchange.requests).toHaveLength(0);
  });
});
