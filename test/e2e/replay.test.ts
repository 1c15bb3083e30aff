/**
 * `asterwatch replay` with the real CLI against a local exchange serving klines: events and
 * summaries equal to a reference computed here, independently; once-conditions that fire,
 * hold and re-arm; the first check's 24 h baseline; the live ids; the cache; --condition;
 * monitors that cannot be replayed; exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventId } from '../../src/events/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { LineCollector } from '../helpers/lines.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { frame } from '../support/liquidations.js';
import { SqliteStore } from '../../src/store/index.js';
import { normaliseFrame } from '../../src/streams/liquidations/normalise.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** BTC swings between 55k and 65k every 6 hours, minute by minute. */
const btc = (openTime: number) => Math.round(60000 + 5000 * Math.sin(((openTime / HOUR) * 2 * Math.PI) / 6));

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000);
  exchange.klineClose = (symbol, openTime) => (symbol === 'BTCUSDT' ? btc(openTime) : undefined);
  dir = mkdtempSync(join(tmpdir(), 'aw-replay-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
  writeFileSync(
    join(dir, 'monitors.yaml'),
    `monitors:
  - name: btc
    monitoring_mode: market
    check_interval: 300
    monitored_assets: [{ asset: BTC, condition: ">> 64000" }]
  - name: perps
    monitoring_mode: positions
    api_key: k
    api_secret: s
`,
  );
});

afterEach(async () => {
  await exchange.stop();
});

/** The reference: a 5-minute check at each slot, priced by the 1-minute candle closed just before it. */
function reference(from: number, to: number, threshold: number) {
  const fires: number[] = [];
  let armed = true;
  for (let slot = Math.floor((from - 1) / (5 * MIN)) * 5 * MIN + 5 * MIN; slot <= to; slot += 5 * MIN) {
    const met = Math.abs(btc(slot - MIN)) > threshold;
    if (met && armed) fires.push(slot);
    armed = !met;
  }
  return fires;
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('asterwatch replay', () => {
  const to = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
  const from = to - 24 * HOUR;
  const range = ['--from', String(from), '--to', String(to)];

  it('raises the events a reference computes, with the live ids, and summarises them', async () => {
    const result = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    const summary = out.pop() as { summary: Record<string, unknown> };
    const expected = reference(from, to, 64000);
    expect(expected.length).toBeGreaterThan(2); // fires, holds, re-arms and fires again
    expect(out.map((e) => Date.parse(e.time as string))).toEqual(expected);
    for (const event of out) {
      expect(event.type).toBe('asterex.market.condition_met');
      expect(event.id).toBe(eventId('btc', 'BTC', Date.parse(event.time as string)));
      expect((event.data as { current_price: number }).current_price).toBe(btc(Date.parse(event.time as string) - MIN));
    }
    // The first check's previous is the price 24 h before (the live baseline).
    const firstSlot = Math.floor(from / (5 * MIN)) * 5 * MIN + 5 * MIN;
    if (out[0] !== undefined && Date.parse(out[0].time as string) === firstSlot) {
      expect((out[0].data as { previous_price: number }).previous_price).toBe(btc(firstSlot - 24 * HOUR - MIN));
    }
    const subjects = summary.summary.subjects as Array<Record<string, unknown>>;
    expect(subjects).toEqual([
      expect.objectContaining({ monitor: 'btc', subject: 'BTC', checks: 289, fires: expected.length, first_fire: new Date(expected[0]!).toISOString() }),
    ]);
    expect(summary.summary.skipped).toEqual([{ monitor: 'perps', reason: 'the exchange keeps no history of positions' }]);
    expect((summary.summary.assumptions as string[]).join('\n')).toMatch(/today's balances/);
  });

  it('serves a second run of the same range from the cache, with no request', async () => {
    const first = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--format', 'csv'], { env });
    expect(first.code, first.stderr).toBe(0);
    const requests = exchange.count('/api/v1/klines');
    expect(requests).toBeGreaterThan(0);
    const second = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--format', 'csv'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(exchange.count('/api/v1/klines')).toBe(requests);
    expect(first.stdout.split('\n')[0]).toBe('time,monitor,subject,value,previous,condition,severity,severity_label,id');
  });

  it('shows another condition beside the original with --condition', async () => {
    const result = await runCli(
      ['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--monitor', 'btc', '--condition', '>> 62000', '--format', 'json'],
      {
        env,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = lines(result.stdout).pop() as { summary: { with_condition: Array<{ fires: number }>; subjects: Array<{ fires: number }> } };
    expect(summary.summary.subjects[0]!.fires).toBe(reference(from, to, 64000).length);
    expect(summary.summary.with_condition[0]!.fires).toBe(reference(from, to, 62000).length);
    const table = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--condition', '>> 62000'], { env });
    expect(table.stdout).toMatch(/with >> 62000: fires/);
    expect(table.stdout).toMatch(/perps: the exchange keeps no history of positions/);
  });

  it('runs a cron monitor at the times its schedule matches, priced by 1-minute candles', async () => {
    const config = join(dir, 'cron.yaml');
    writeFileSync(
      config,
      'monitors:\n  - { name: hourly, monitoring_mode: market, schedule: "0 * * * *", monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
    );
    const result = await runCli(['replay', '--config', config, '--from', String(from + 1), '--to', String(to), '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const events = lines(result.stdout).slice(0, -1);
    const hours = Array.from({ length: 24 }, (_, i) => from + (i + 1) * HOUR);
    expect(events.map((e) => Date.parse(e.time as string))).toEqual(hours);
    expect(events.map((e) => (e.data as { current_price: number }).current_price)).toEqual(hours.map((t) => btc(t - MIN)));
    expect(exchange.requests.filter((r) => r.path === '/api/v1/klines').every((r) => r.query.get('interval') === '1m')).toBe(true);
  });

  it('values today’s balances (mock data here) at the past’s prices, and writes to --out', async () => {
    const config = join(dir, 'portfolio.yaml');
    writeFileSync(
      config,
      `monitors:
  - name: book
    monitoring_mode: portfolio
    check_interval: 3600
    portfolio_condition: "> 1"
    mock_account_data: '{"balances":[{"asset":"BTC","free":"2","locked":"0"},{"asset":"USDT","free":"1000","locked":"0"}]}'
`,
    );
    const out = join(dir, 'book.jsonl');
    const result = await runCli(['replay', '--config', config, '--from', String(from + 1), '--to', String(to), '--format', 'json', '--out', out], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const written = lines(readFileSync(out, 'utf8'));
    const summary = written.pop() as { summary: { assumptions: string[] } };
    expect(written).toHaveLength(24);
    for (const event of written) {
      const t = Date.parse(event.time as string);
      expect((event.data as { values: { current_value: number } }).values.current_value).toBe(2 * btc(t - MIN) + 1000);
    }
    expect(summary.summary.assumptions.join('\n')).toMatch(/today's balances/);
  });

  it('exits 1 for a usage mistake and 2 when the history cannot be fetched', async () => {
    const bad = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), '--from', 'yesterday'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--from must be ISO-8601/);
    const missing = await runCli(['replay', '--config', join(dir, 'monitors.yaml')], { env });
    expect(missing.code).toBe(1);
    await exchange.stop();
    const down = await runCli(['replay', '--config', join(dir, 'monitors.yaml'), ...range, '--monitor', 'btc'], {
      env: { ...env, ASTER_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(down.code).toBe(2);
    exchange = await new FakeExchange().start();
  });
});

describe('replay beside a live run', () => {
  it('raises the event the service raised at the same slot, with the same id', async () => {
    exchange.klineClose = () => 60000; // the same price live (ticker) and in the past (klines)
    const config = join(dir, 'live.yaml');
    writeFileSync(config, 'monitors:\n  - { name: live, monitoring_mode: market, check_interval: 60, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n');
    // The service runs the most recent slot at once (catch-up at start).
    const service = startCli(['run', '--config', config], { env: { ...env, LOG_LEVEL: 'info' } });
    const out = new LineCollector(service.stdout!);
    let live: { id: string; time: string };
    try {
      live = JSON.parse(await out.waitFor((line) => line.startsWith('{'), 15_000)) as { id: string; time: string };
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
    }
    // The event's time is when the check ran, just after its slot (the id is the slot's).
    const slot = Math.floor(Date.parse(live.time) / 60_000) * 60_000;
    const replayed = await runCli(
      ['replay', '--config', config, '--from', String(slot), '--to', String(slot + 1), '--format', 'json', '--cache', join(dir, 'c.db')],
      {
        env,
      },
    );
    expect(replayed.code, replayed.stderr).toBe(0);
    const [event] = lines(replayed.stdout);
    expect(event).toMatchObject({ id: live.id, time: new Date(slot).toISOString(), subject: 'BTC' });
  });
});

describe('asterwatch replay of liquidation monitors', () => {
  const T0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
  const liquidationConfig = (dir: string) => {
    const file = join(dir, 'liq.yaml');
    writeFileSync(
      file,
      `monitors:
  - { name: whales, monitoring_mode: liquidations, condition: ">= 50k" }
  - { name: cascade, monitoring_mode: liquidations, window: 60, symbols: [BTCUSDT], condition: ">> 150k" }
`,
    );
    return file;
  };
  // BTC longs liquidated ($40k, $60k, $70k within 30 s: the window crosses $150k), then one
  // more after the window drained (re-armed: it fires again only when it crosses again).
  const frames = [
    frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '40000', T: T0 + 10_000 }),
    frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '60000', T: T0 + 20_000 }),
    frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '70000', T: T0 + 40_000 }),
    frame({ s: 'ETHUSDT', S: 'BUY', q: '20', p: '3000', T: T0 + 50_000 }),
    frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '80000', T: T0 + 600_000 }),
    frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '90000', T: T0 + 610_000 }),
  ];

  it('replays per-liquidation and window monitors over a file of stream frames', async () => {
    const file = join(dir, 'frames.jsonl');
    writeFileSync(file, `${frames.join('\n')}\n${frames[1]}\n`); // a frame twice: one liquidation
    const range = ['--from', String(T0), '--to', String(T0 + HOUR)];
    const result = await runCli(['replay', '--config', liquidationConfig(dir), ...range, '--liquidations', file, '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    const summary = out.pop() as { summary: { assumptions: string[]; skipped: unknown[] } };
    const whales = out.filter((e) => e.type === 'asterex.liquidation.condition_met');
    expect(whales.map((e) => (e.data as { notional_usd: number }).notional_usd)).toEqual([60000, 70000, 60000, 80000, 90000]);
    const windows = out.filter((e) => e.type === 'asterex.liquidation_window.condition_met');
    expect(windows.map((e) => e.subject)).toEqual(['BTCUSDT', 'BTCUSDT']);
    expect(Date.parse(windows[0]!.time as string)).toBeGreaterThanOrEqual(T0 + 40_000);
    expect(Date.parse(windows[1]!.time as string)).toBeGreaterThanOrEqual(T0 + 610_000);
    expect(summary.summary.skipped).toEqual([]);
    expect(summary.summary.assumptions.join('\n')).toMatch(/sampled/);
  });

  it('replays over the liquidations recorded in the state database, listing its gaps', async () => {
    const statePath = join(dir, 'recorded.db');
    const store = SqliteStore.open(statePath);
    await store.liquidations.record(frames.flatMap((f) => normaliseFrame('aster', f)));
    await store.liquidations.recordGap({ venue: 'aster', start: T0 + 100_000, end: T0 + 200_000 });
    await store.close();
    const result = await runCli(
      [
        'replay',
        '--config',
        liquidationConfig(dir),
        '--from',
        String(T0),
        '--to',
        String(T0 + HOUR),
        '--state',
        statePath,
        '--format',
        'json',
        '--monitor',
        'whales',
      ],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    const summary = out.pop() as { summary: { gaps: unknown[] } };
    expect(out).toHaveLength(5);
    expect(summary.summary.gaps).toEqual([{ venue: 'aster', start: new Date(T0 + 100_000).toISOString(), end: new Date(T0 + 200_000).toISOString() }]);
  });

  it('says why it cannot replay them without recorded liquidations', async () => {
    const result = await runCli(
      ['replay', '--config', liquidationConfig(dir), '--from', String(T0), '--to', String(T0 + HOUR), '--state', join(dir, 'none.db')],
      {
        env,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/whales: no recorded liquidations to replay it over/);
  });
});
