/**
 * The alert lifecycle through real rounds (a local exchange, the SQLite store, the market
 * mode), with the round's clock injected: resolved notices, reminders, the cooldown and
 * hysteresis, and their memory kept in the store across rounds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { AlertEvent } from '../../src/events/index.js';
import { AsterClient } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { RoundRunner } from '../../src/scheduler/round.js';
import { liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../../src/sources/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

let exchange: FakeExchange;
let store: SqliteStore;
let client: AsterClient;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  store = SqliteStore.open(':memory:');
  client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
});

afterEach(async () => {
  client.close();
  await store.close();
  await exchange.stop();
});

/** Runs one round per price, a minute apart; returns each round's events. */
async function rounds(yaml: string, prices: number[]): Promise<AlertEvent[][]> {
  const config = parseConfig(yaml, 'monitors.yaml', {});
  let now = T0;
  const runner = new RoundRunner({
    sources: liveCatalog(client, new TickerPriceSource(client)),
    baseline: new Ticker24hrBaselineSource(client, silentLogger()),
    store,
    logger: silentLogger(),
    now: () => now,
    route: (m) => [...m.notify],
  });
  const out: AlertEvent[][] = [];
  for (const [i, price] of prices.entries()) {
    now = T0 + i * MIN;
    exchange.setPrice('BTCUSDT', price, price);
    out.push((await runner.run(now, config.monitors)).events.map((e) => e.event));
  }
  return out;
}

const monitor = (extra: string, condition = '>> 70000') =>
  `monitors:\n  - name: m\n    monitoring_mode: market\n    check_interval: 60\n${extra}    monitored_assets: [{ asset: BTC, condition: "${condition}" }]\n`;
const kinds = (events: AlertEvent[][]) =>
  events.map(
    (round) =>
      round.map((e) => (e.type.endsWith('condition_resolved') ? 'resolved' : (e.data as { reminder?: boolean }).reminder ? 'reminder' : 'met')).join(',') ||
      '-',
  );

describe('the alert lifecycle', () => {
  it('raises a resolved notice when a once-condition re-arms, with when it fired and for how long', async () => {
    const events = await rounds(monitor('    notify_resolved: true\n'), [69000, 71000, 71500, 69500, 71000]);
    expect(kinds(events)).toEqual(['-', 'met', '-', 'resolved', 'met']);
    const notice = events[3]![0]!;
    expect(notice.type).toBe('asterex.market.condition_resolved');
    expect(notice.subject).toBe('BTC');
    expect(notice.data).toMatchObject({
      monitor: 'm',
      asset: 'BTC',
      symbol: 'BTCUSDT',
      current_price: 69500,
      condition: '>> 70000',
      fired_at: new Date(T0 + MIN).toISOString(),
      duration_seconds: 120,
      severity: events[1]![0]!.data.severity,
    });
    expect(notice.id).not.toBe(events[3]!.find((e) => e.type.endsWith('condition_met'))?.id);
    // Deterministic: the same round raises the same id again.
    expect(notice.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('raises no resolved notice when notify_resolved is off', async () => {
    expect(kinds(await rounds(monitor(''), [71000, 69000, 71000]))).toEqual(['met', '-', 'met']);
  });

  it('reminds every repeat_interval while a once-condition holds, never after it resolved', async () => {
    const events = await rounds(monitor('    repeat_interval: 120\n    notify_resolved: true\n'), [71000, 71000, 71000, 71000, 71000, 69000, 69000, 69000]);
    expect(kinds(events)).toEqual(['met', '-', 'reminder', '-', 'reminder', 'resolved', '-', '-']);
    expect(events[2]![0]!.type).toBe('asterex.market.condition_met');
    expect(events[2]![0]!.data).toMatchObject({ reminder: true, firing_since: new Date(T0).toISOString() });
  });

  it('lets a repeating condition through at most once per repeat_interval while it holds (a cooldown)', async () => {
    const events = await rounds(monitor('    repeat_interval: 180\n', '> 70000'), [71000, 71000, 71000, 71000, 71000, 71000, 71000]);
    expect(kinds(events)).toEqual(['met', '-', '-', 'met', '-', '-', 'met']);
  });

  it('resolves a repeating condition on the first check it is not met', async () => {
    const events = await rounds(monitor('    notify_resolved: true\n', '> 70000'), [71000, 71200, 69000, 69000]);
    expect(kinds(events)).toEqual(['met', 'met', 'resolved', '-']);
    expect(events[2]![0]!.data).toMatchObject({ fired_at: new Date(T0).toISOString(), duration_seconds: 120 });
  });

  it('re-arms a once-condition only when rearm holds: a value wobbling across the threshold fires once', async () => {
    const wobble = [71000, 69900, 70100, 69800, 70200, 69950, 70050, 68900, 70100];
    const plain = await rounds(monitor(''), wobble);
    expect(kinds(plain).filter((k) => k === 'met')).toHaveLength(5);
    await store.close();
    store = SqliteStore.open(':memory:');
    const banded = await rounds(monitor('    rearm: "< 69000"\n    notify_resolved: true\n'), wobble);
    expect(kinds(banded)).toEqual(['met', '-', '-', '-', '-', '-', '-', 'resolved', 'met']);
  });

  it('keeps the memory in the store between rounds (a restart resumes the firing)', async () => {
    await rounds(monitor('    notify_resolved: true\n'), [71000]);
    const state = (await store.statesOf('m')).get('BTC');
    expect(state?.alert).toMatchObject({ firingSince: T0, sentAt: T0 });
    // A second runner (a restarted service) resolves the firing the first one began.
    const config = parseConfig(monitor('    notify_resolved: true\n'), 'monitors.yaml', {});
    exchange.setPrice('BTCUSDT', 69000, 69000);
    const runner = new RoundRunner({
      sources: liveCatalog(client, new TickerPriceSource(client)),
      baseline: new Ticker24hrBaselineSource(client, silentLogger()),
      store,
      logger: silentLogger(),
      now: () => T0 + 5 * MIN,
      route: (m) => [...m.notify],
    });
    const events = (await runner.run(T0 + 5 * MIN, config.monitors)).events.map((e) => e.event);
    expect(events.map((e) => e.type)).toEqual(['asterex.market.condition_resolved']);
    expect(events[0]!.data).toMatchObject({ duration_seconds: 300 });
    expect((await store.statesOf('m')).get('BTC')?.alert ?? null).toBeNull();
  });
});
