/**
 * The commands run in-process (the end-to-end tests run the built CLI as a child process;
 * these reach the same code where coverage and fast feedback can see it).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { capture } from '../helpers/capture.js';
import { SqliteStore } from '../../src/store/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { Receiver } from '../helpers/receiver.js';

let exchange: FakeExchange;
let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  process.env.LOG_LEVEL = 'silent';
});
afterAll(() => {
  process.env = saved;
});

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  exchange.setPrice('ETHUSDT', 3000, 3000);
  process.env.ASTER_BASE_URL = exchange.url;
  dir = mkdtempSync(join(tmpdir(), 'aw-cli-'));
  process.env.ASTERWATCH_STATE = join(dir, 'state.db');
});

afterEach(async () => {
  await exchange.stop();
});

function config(yaml: string): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('the command table', () => {
  it.each([
    [['--help'], 0, /Commands:/],
    [[], 1, /Usage: asterwatch <command>/],
    [['--version'], 0, /^\d+\.\d+\.\d+/],
    [['explain', '--help'], 0, /Usage: asterwatch explain/],
    [['validate', '--help'], 0, /Usage: asterwatch validate/],
    [['check', '--help'], 0, /Usage: asterwatch check/],
    [['run', '--help'], 0, /Usage: asterwatch run/],
    [['outbox', '--help'], 0, /Usage: asterwatch outbox/],
  ])('answers %j with exit %d', async (argv, code, text) => {
    const io = capture();
    expect(await runCli(argv, io)).toBe(code);
    expect(io.stdout.join('\n')).toMatch(text);
  });

  it.each([['nosuch'], ['constructor'], ['toString']])('refuses the unknown command %s with exit 1', async (name) => {
    const io = capture();
    expect(await runCli([name], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain(`unknown command "${name}"`);
  });

  it('reports a bad flag as a usage error naming it', async () => {
    const io = capture();
    expect(await runCli(['explain', '> 1', '--nope'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/explain: Unknown option '--nope'/);
  });
});

describe('explain', () => {
  it('describes, evaluates and grades with a mode', async () => {
    const io = capture();
    expect(await runCli(['explain', '< 1M', '--mode', 'portfolio', '--current', '200000', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      meaning: 'when the portfolio value is below 1,000,000',
      severity: { label: 'critical' },
      evaluation: { fires: true },
    });
  });

  it.each([
    [['explain', '> 1', '--mode', 'spot'], /--mode must be market, portfolio, liquidations or positions, got "spot"/],
    [['explain', '> 1', '--armed', 'maybe'], /--armed must be true or false/],
    [['explain', '> 1', '--previous', '3'], /--previous needs --current/],
    [['explain'], /exactly one condition/],
    [['explain', '> 1', '--current', 'x'], /--current must be a finite number/],
    [['explain', '>> ++x'], /column 6: expected a number/],
  ])('refuses %j with exit 1', async (argv, message) => {
    const io = capture();
    expect(await runCli(argv, io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(message);
  });

  it('prints text with the evaluation', async () => {
    const io = capture();
    expect(await runCli(['explain', '>> 5%', '--current', '105.1', '--previous', '100', '--armed', 'false'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('evaluation: evaluable true, met true, fires false, armed after false');
  });
});

describe('validate', () => {
  it('accepts a valid file and checks its assets against the exchange', async () => {
    const io = capture();
    expect(
      await runCli(
        ['validate', '--config', config('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n')],
        io,
      ),
    ).toBe(0);
    expect(io.stdout.join('\n')).toContain('valid — 1 monitor, 1 sink; assets checked against the exchange');
  });

  it('does not ask the exchange offline, nor for modes that name no symbols', async () => {
    const offline = capture();
    expect(
      await runCli(
        [
          'validate',
          '--offline',
          '--config',
          config('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: NOPE, condition: "> 1" }] }\n'),
        ],
        offline,
      ),
    ).toBe(0);
    expect(offline.stdout.join('\n')).toContain('not checked (--offline)');
    const portfolio = capture();
    expect(
      await runCli(
        ['validate', '--config', config(`monitors:\n  - { name: p, monitoring_mode: portfolio, mock_account_data: '{"balances":[]}' }\n`)],
        portfolio,
      ),
    ).toBe(0);
    expect(exchange.requests).toHaveLength(0);
  });

  it('names an unknown asset, and every configuration problem, with exit 1', async () => {
    const io = capture();
    expect(
      await runCli(
        ['validate', '--config', config('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: NOPE, condition: "> 1" }] }\n')],
        io,
      ),
    ).toBe(1);
    expect(io.stderr.join('\n')).toContain('unknown asset NOPE');
    const bad = capture();
    expect(await runCli(['validate', '--config', join(dir, 'missing.yaml')], bad)).toBe(1);
    expect(bad.stderr.join('\n')).toContain('no such file');
  });

  it('notes an unreachable exchange and still validates the rest', async () => {
    await exchange.stop();
    const io = capture();
    expect(
      await runCli(
        ['validate', '--config', config('monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n')],
        io,
      ),
    ).toBe(0);
    expect(io.stderr.join('\n')).toContain('assets were not checked against the exchange');
  });
});

describe('check and outbox', () => {
  it('prints events once, keeps once-state, and shows the outbox per sink with its dead letters', async () => {
    const receiver = await new Receiver().start();
    receiver.defaultAnswer = { status: 400, body: { error: 'no' } };
    try {
      const file = config(
        `sinks:\n  ops: { type: webhook, url: "${receiver.url}/hook" }\nmonitors:\n  - { name: m, monitoring_mode: market, notify: [stdout, ops], monitored_assets: [{ asset: BTC, condition: ">> 55000" }] }\n`,
      );
      const first = capture();
      expect(await runCli(['check', '--config', file], first)).toBe(0);
      expect(first.stdout.map((l) => JSON.parse(l).subject)).toEqual(['BTC']);
      const second = capture();
      expect(await runCli(['check', '--config', file, '--monitor', 'm'], second)).toBe(0);
      expect(second.stdout).toEqual([]);
      const none = capture();
      expect(await runCli(['check', '--config', file, '--monitor', 'x'], none)).toBe(1);

      const table = capture();
      expect(await runCli(['outbox'], table)).toBe(0);
      expect(table.stdout.join('\n')).toMatch(/ops\s+0\s+1\s+0/);
      expect(table.stdout.join('\n')).toContain('after 1 attempt: webhook ops');
      const json = capture();
      expect(await runCli(['outbox', '--json'], json)).toBe(0);
      expect(JSON.parse(json.stdout[0]!).sinks).toEqual([
        expect.objectContaining({ sink: 'ops', dead: 1 }),
        expect.objectContaining({ sink: 'stdout', done: 1 }),
      ]);
      const retry = capture();
      expect(await runCli(['outbox', 'retry', '--sink', 'ops'], retry)).toBe(0);
      expect(retry.stdout).toEqual(['1 dead delivery of sink ops moved back to pending']);
      const wrong = capture();
      expect(await runCli(['outbox', 'replay'], wrong)).toBe(1);
      const nosuch = capture();
      expect(await runCli(['outbox', 'retry', '--sink', 'nosuch'], nosuch)).toBe(1);
      expect(nosuch.stderr.join('\n')).toContain('sink "nosuch" has no deliveries; sinks with deliveries: ops, stdout');
    } finally {
      await receiver.stop();
    }
  });

  it('refuses a state database that does not exist instead of creating it', async () => {
    const io = capture();
    expect(await runCli(['outbox', '--state', join(dir, 'mistyped.db')], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain(`no state database at ${join(dir, 'mistyped.db')}`);
    expect(existsSync(join(dir, 'mistyped.db'))).toBe(false);
  });

  it('says the outbox is empty before any event', async () => {
    await SqliteStore.open(process.env.ASTERWATCH_STATE!).close();
    const io = capture();
    expect(await runCli(['outbox'], io)).toBe(0);
    expect(io.stdout).toEqual(['the outbox is empty: no event has been raised yet']);
  });
});
