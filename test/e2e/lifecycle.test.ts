/**
 * The alert lifecycle with the real CLI: resolved notices from `check` runs on one state file
 * (the memory lives in the state database between processes), and reminders, the cooldown and
 * hysteresis over a replayed range priced minute by minute (the same engine as `run`, on
 * virtual time: intervals of minutes are asserted without waiting for them).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  dir = mkdtempSync(join(tmpdir(), 'aw-lifecycle-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
});

afterEach(() => exchange.stop());

type Event = { id: string; type: string; time: string; subject: string; data: Record<string, unknown> };
const events = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"specversion"'))
    .map((l) => JSON.parse(l) as Event);
const kindOf = (e: Event) => (e.type.endsWith('.condition_resolved') ? 'resolved' : e.data.reminder === true ? 'reminder' : 'met');

function config(name: string, lines: string): string {
  const file = join(dir, name);
  writeFileSync(file, `monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 60\n${lines}`);
  return file;
}

describe('resolved notices across check runs', () => {
  async function checks(file: string, prices: number[]): Promise<Event[][]> {
    const out: Event[][] = [];
    for (const price of prices) {
      exchange.setPrice('BTCUSDT', price, price);
      const result = await runCli(['check', '--config', file], { env });
      expect(result.code, result.stderr).toBe(0);
      out.push(events(result.stdout));
    }
    return out;
  }

  it('raises condition_resolved when a once-alert re-arms, with when it fired and for how long', async () => {
    const file = config('on.yaml', '    notify_resolved: true\n    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n');
    const [first, held, back] = await checks(file, [71000, 71500, 69000]);
    expect(first!.map(kindOf)).toEqual(['met']);
    expect(held).toEqual([]);
    expect(back!.map(kindOf)).toEqual(['resolved']);
    const notice = back![0]!;
    expect(notice).toMatchObject({ type: 'asterex.market.condition_resolved', subject: 'BTC', specversion: '1.0', source: 'asterwatch/monitors/m' });
    expect(notice.data).toMatchObject({
      monitor: 'm',
      asset: 'BTC',
      symbol: 'BTCUSDT',
      current_price: 69000,
      condition: '>> 70000',
      fired_at: first![0]!.time,
    });
    expect(notice.data.duration_seconds).toBe(Math.round((Date.parse(notice.time) - Date.parse(first![0]!.time)) / 1000));
    expect(notice.data.severity).toBe(first![0]!.data.severity);
  });

  it('raises none when notify_resolved is off', async () => {
    const file = config('off.yaml', '    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n');
    const runs = await checks(file, [71000, 69000, 71000]);
    expect(runs.map((r) => r.map(kindOf).join(','))).toEqual(['met', '', 'met']);
  });
});

describe('reminders, cooldown and hysteresis over a replayed range', () => {
  const to = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
  const from = to - HOUR;

  /** Slot k (from + k minutes) is priced by the candle opening a minute before it: prices[k - 1], then 69,000. */
  async function replay(lines: string, prices: number[]): Promise<Event[]> {
    exchange.setPrice('BTCUSDT', 69000);
    exchange.klineClose = (symbol, openTime) => (symbol === 'BTCUSDT' ? (prices[(openTime - from) / MIN] ?? 69000) : undefined);
    const result = await runCli(
      ['replay', '--config', config('replay.yaml', lines), '--from', String(from), '--to', String(from + prices.length * MIN), '--format', 'json'],
      {
        env,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    return events(result.stdout);
  }
  const at = (e: Event) => (Date.parse(e.time) - from) / MIN;

  it('reminds every repeat_interval while a once-condition holds, and never after it resolved', async () => {
    const out = await replay(
      '    repeat_interval: 120\n    notify_resolved: true\n    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n',
      [71000, 71000, 71000, 71000, 71000, 71000, 69000, 69000, 69000, 69000],
    );
    expect(out.map((e) => `${at(e)}:${kindOf(e)}`)).toEqual(['1:met', '3:reminder', '5:reminder', '7:resolved']);
    const [met, reminder] = out;
    expect(reminder!.type).toBe('asterex.market.condition_met');
    expect(reminder!.data).toMatchObject({ reminder: true, firing_since: met!.time });
    expect(new Set(out.map((e) => e.id)).size).toBe(out.length);
  });

  it('lets a repeating condition through at most once per repeat_interval (a cooldown)', async () => {
    const out = await replay('    repeat_interval: 180\n    monitored_assets: [{ asset: BTC, condition: "> 70000" }]\n', Array(8).fill(71000));
    expect(out.map((e) => `${at(e)}:${kindOf(e)}`)).toEqual(['1:met', '4:met', '7:met']);
  });

  it('fires once for a value wobbling across the threshold when rearm sets a band', async () => {
    const wobble = [71000, 69900, 70100, 69800, 70200, 69950, 70050, 68900, 70100];
    const plain = await replay('    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n', wobble);
    expect(plain.map(kindOf)).toEqual(['met', 'met', 'met', 'met', 'met']);
    const banded = await replay('    rearm: "< 69000"\n    notify_resolved: true\n    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n', wobble);
    expect(banded.map((e) => `${at(e)}:${kindOf(e)}`)).toEqual(['1:met', '8:resolved', '9:met']);
  });
});

describe('validation', () => {
  it('names every mistake in the lifecycle fields, with positions', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `monitors:
  - name: a
    monitoring_mode: market
    check_interval: 300
    repeat_interval: 60
    rearm: "> 69000"
    monitored_assets: [{ asset: BTC, condition: "> 70000" }]
  - name: b
    monitoring_mode: market
    rearm: "< 69x00"
    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]
`,
    );
    const result = await runCli(['validate', '--config', file], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:5:\d+: monitors\[0\]\.repeat_interval: must be at least check_interval \(300 s\)/);
    expect(result.stderr).toMatch(/bad\.yaml:6:\d+: monitors\[0\]\.rearm: applies to once-conditions/);
    expect(result.stderr).toMatch(/bad\.yaml:10:\d+: monitors\[1\]\.rearm: condition "< 69x00": column 5/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
