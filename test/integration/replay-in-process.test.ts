/**
 * `asterwatch replay` in-process (the end-to-end tests run the built CLI as a child process;
 * these reach the same code where coverage can see it): every format, the chart, --condition,
 * liquidation monitors over a file and over the state database, usage errors.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { capture } from '../helpers/capture.js';
import { SqliteStore } from '../../src/store/index.js';
import { normaliseFrame } from '../../src/streams/liquidations/normalise.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { frame } from '../support/liquidations.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const btc = (openTime: number) => Math.round(60000 + 5000 * Math.sin(((openTime / HOUR) * 2 * Math.PI) / 6));

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
  exchange.setPrice('BTCUSDT', 60000);
  exchange.klineClose = (symbol, openTime) => (symbol === 'BTCUSDT' ? btc(openTime) : undefined);
  dir = mkdtempSync(join(tmpdir(), 'aw-replay-ip-'));
  process.env.ASTER_BASE_URL = exchange.url;
  process.env.ASTERWATCH_STATE = join(dir, 'state.db');
  writeFileSync(
    join(dir, 'monitors.yaml'),
    `monitors:
  - { name: btc, monitoring_mode: market, check_interval: 900, monitored_assets: [{ asset: BTC, condition: ">> 64000" }] }
  - { name: book, monitoring_mode: portfolio, check_interval: 3600, portfolio_condition: "> 1", mock_account_data: '{"balances":[{"asset":"BTC","free":"1"}]}' }
  - { name: fut, monitoring_mode: portfolio, account: futures, api_key: k, api_secret: s }
  - { name: whales, monitoring_mode: liquidations, condition: ">= 50k" }
  - { name: cascade, monitoring_mode: liquidations, window: 60, group_by: all, condition: ">> 100k" }
`,
  );
});

afterEach(async () => {
  await exchange.stop();
});

const to = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
const from = to - 24 * HOUR;
const config = () => join(dir, 'monitors.yaml');
const range = ['--from', new Date(from).toISOString(), '--to', String(to)];

describe('replay in-process', () => {
  it('prints a table with the timeline, the summary, what was not replayed and the assumptions; writes the chart', async () => {
    const io = capture();
    const chart = join(dir, 'chart.svg');
    expect(await runCli(['replay', '--config', config(), ...range, '--chart', chart], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^replay .* check times, \d+ events/);
    expect(text).toMatch(/\nsummary\n/);
    expect(text).toMatch(/fut: a futures account's value has no history/);
    expect(text).toMatch(/whales: no recorded liquidations to replay it over/);
    expect(text).toMatch(/assumptions\n {2}- a price is the close of the last 15m candle/);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<\?xml/);
    expect(svg.match(/<g data-subject=/g)).toHaveLength(2);
  });

  it('gives CSV and JSON, and shows a new condition beside the original', async () => {
    const csv = capture();
    expect(await runCli(['replay', '--config', config(), ...range, '--monitor', 'btc', '--format', 'csv'], csv)).toBe(0);
    expect(csv.stdout.join('\n').split('\n')[0]).toBe('time,monitor,subject,value,previous,condition,severity,severity_label,id');
    const json = capture();
    expect(await runCli(['replay', '--config', config(), ...range, '--monitor', 'btc', '--condition', '>> 62000', '--format', 'json'], json)).toBe(0);
    const last = JSON.parse(json.stdout.join('\n').trim().split('\n').pop()!) as { summary: { with_condition: unknown[]; condition: string } };
    expect(last.summary.condition).toBe('>> 62000');
    expect(last.summary.with_condition).toHaveLength(1);
    const table = capture();
    expect(await runCli(['replay', '--config', config(), ...range, '--monitor', 'btc', '--condition', '>> 62000'], table)).toBe(0);
    expect(table.stdout.join('\n')).toMatch(/with >> 62000: fires/);
  });

  it('replays liquidation monitors over a file and over the state database', async () => {
    const T0 = from + HOUR;
    const frames = [
      frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '60000', T: T0 + 1000 }),
      frame({ s: 'ETHUSDT', S: 'BUY', q: '20', p: '3000', T: T0 + 2000 }),
      frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '10000', T: T0 + 120_000 }),
    ];
    const file = join(dir, 'frames.jsonl');
    writeFileSync(file, `${frames.join('\n')}\n`);
    const fromFile = capture();
    expect(
      await runCli(
        ['replay', '--config', config(), ...range, '--monitor', 'whales', '--monitor', 'cascade', '--liquidations', file, '--format', 'json'],
        fromFile,
      ),
    ).toBe(0);
    const events = fromFile.stdout
      .join('\n')
      .trim()
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toEqual([
      'asterex.liquidation.condition_met',
      'asterex.liquidation.condition_met',
      'asterex.liquidation_window.condition_met',
    ]);

    const store = SqliteStore.open(join(dir, 'state.db'));
    await store.liquidations.record(frames.flatMap((f) => normaliseFrame('aster', f)));
    await store.liquidations.recordGap({ venue: 'aster', start: T0 + 10_000, end: T0 + 20_000 });
    await store.close();
    const fromStore = capture();
    expect(await runCli(['replay', '--config', config(), ...range, '--monitor', 'whales'], fromStore)).toBe(0);
    expect(fromStore.stdout.join('\n')).toMatch(/liquidation feed gaps in the range\n {2}aster: /);
    expect(fromStore.stdout.join('\n')).toMatch(/liquidations are those recorded in the state database/);
  });

  it('refuses bad flags with exit 1 and a message naming them', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay', '--config', config()], /--from is required/],
      [['replay', '--config', config(), '--from', 'soon'], /--from must be ISO-8601/],
      [['replay', '--config', config(), '--from', '1h', '--to', '2h'], /--from must be before --to/],
      [['replay', '--config', config(), '--from', String(Date.now() + HOUR)], /is in the future/],
      [['replay', '--config', config(), ...range, '--format', 'xml'], /--format must be table, json or csv/],
      [['replay', '--config', config(), ...range, '--condition', '>> x'], /--condition:/],
      [['replay', '--config', config(), ...range, '--monitor', 'nosuch'], /no monitor named "nosuch"/],
      [['replay', '--config', config(), ...range, '--monitor', 'whales', '--liquidations', join(dir, 'missing.jsonl')], /cannot read --liquidations/],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await runCli(argv, io), argv.join(' ')).toBe(1);
      expect(io.stderr.join('\n')).toMatch(message);
    }
    const help = capture();
    expect(await runCli(['replay', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/^Usage: asterwatch replay/);
    expect(existsSync(join(dir, 'missing.jsonl'))).toBe(false);
  });
});
