/**
 * The liquidations mode on its own: its severity bands, its rolling windows, its checks as the
 * stream driver calls them (pure, repeatable), its validation and its Telegram messages.
 */
import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/condition/index.js';
import { type ConfigError, parseConfig, type MonitorConfig } from '../../src/config/index.js';
import type { AlertEvent } from '../../src/events/index.js';
import type { StreamedCheck } from '../../src/modes/mode.js';
import { liquidationsMode, type LiquidationSettings } from '../../src/modes/liquidations/index.js';
import { RollingWindows } from '../../src/modes/liquidations/rolling-window.js';
import { liquidationSeverity } from '../../src/modes/liquidations/severity.js';
import { decimalText, duration, renderLiquidationTelegram } from '../../src/modes/liquidations/telegram.js';
import type { SubjectState } from '../../src/store/index.js';
import type { StreamCatalog } from '../../src/streams/catalog.js';
import type { Liquidation } from '../../src/streams/liquidations/liquidation.js';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

function liquidation(id: string, usd: number, time: number, overrides: Partial<Liquidation> = {}): Liquidation {
  return {
    id,
    venue: 'aster',
    symbol: 'BTCUSDT',
    asset: 'BTC',
    side: 'long',
    price: 1000,
    priceText: '1000',
    quantity: usd / 1000,
    notionalUsd: usd,
    time,
    ...overrides,
  };
}

const catalog: StreamCatalog = {
  liquidationVenues: ['aster'],
  liquidations: (venue) => ({
    key: `liquidations:${venue}`,
    start: () => undefined,
    stop: async () => undefined,
    status: () => ({ feed: venue, connected: true, since: 0, reconnects: 0, lastMessageAt: null, messages: 0 }),
  }),
};

function monitorOf(fields: string): MonitorConfig<LiquidationSettings> {
  const config = parseConfig(`monitors:\n  - name: m\n    monitoring_mode: liquidations\n${fields}`, 'monitors.yaml', {});
  return config.monitors[0] as MonitorConfig<LiquidationSettings>;
}

function bind(fields: string): StreamedCheck<Liquidation> {
  const monitor = monitorOf(fields);
  if (monitor.plugin.driver.kind !== 'streamed') throw new Error('not streamed');
  return monitor.plugin.driver.bind(monitor, catalog) as StreamedCheck<Liquidation>;
}

/** Applies a check's state writes and forgets to a map, as a commit would. */
function apply(states: Map<string, SubjectState>, check: ReturnType<StreamedCheck<Liquidation>['onBatch']>): void {
  for (const write of check.states) states.set(write.subject, { ...write, version: (states.get(write.subject)?.version ?? 0) + 1 } as SubjectState);
  for (const subject of check.forget) states.delete(subject);
}

describe('severity of a liquidation monitor', () => {
  it.each([
    ['>= 50k', 60_000, 'low'],
    ['>= 50k', 100_000, 'medium'],
    ['>= 50k', 250_000, 'high'],
    ['>= 50k', 1_000_000, 'critical'],
    ['>> 1M', 4_999_999, 'medium'],
    ['> 1M', 5_000_000, 'high'],
  ])('%s at $%d is %s (r = x / N against 2, 5 and 20)', (condition, usd, label) => {
    expect(compileCondition(condition).severity({ current: usd, previous: null }, liquidationSeverity).label).toBe(label);
  });

  it('uses the portfolio level rule below a threshold, and the change rule for a change', () => {
    expect(compileCondition('< 100k').severity({ current: 10_000, previous: null }, liquidationSeverity).label).toBe('critical'); // r = 0.1
    expect(compileCondition('< 100k').severity({ current: 80_000, previous: null }, liquidationSeverity).label).toBe('low');
    expect(compileCondition('> 100%').severity({ current: 300_000, previous: 100_000 }, liquidationSeverity).label).toBe('critical');
    expect(compileCondition('> 10%').severity({ current: 115_000, previous: 100_000 }, liquidationSeverity).label).toBe('medium');
  });
});

describe('rolling windows', () => {
  it('sum the last W and the W before, exactly 0 once drained', () => {
    const windows = new RollingWindows(10_000);
    windows.add('s', liquidation('a', 100.1, T0));
    windows.add('s', liquidation('b', 200.2, T0 + 5000));
    windows.advanceAll(T0 + 6000);
    expect(windows.get('s')!.current).toBeCloseTo(300.3, 9);
    expect(windows.get('s')!.previous).toBe(0);
    windows.advanceAll(T0 + 12_000); // a is in the window before
    expect(windows.get('s')!.current).toBeCloseTo(200.2, 9);
    expect(windows.get('s')!.previous).toBeCloseTo(100.1, 9);
    windows.advanceAll(T0 + 25_001); // both before the window before
    expect([windows.get('s')!.current, windows.get('s')!.previous, windows.get('s')!.empty]).toEqual([0, 0, true]);
  });

  it('place a late liquidation by its time, and leave out one older than both windows', () => {
    const windows = new RollingWindows(10_000);
    windows.advanceAll(T0 + 20_000);
    windows.add('s', liquidation('a', 10, T0 + 19_000));
    windows.add('s', liquidation('late', 5, T0 + 8_000)); // in the window before
    windows.add('s', liquidation('too-late', 7, T0 - 1)); // older than both: left out
    expect([windows.get('s')!.current, windows.get('s')!.previous]).toEqual([10, 5]);
    expect(windows.get('s')!.figures()).toEqual({ total: 10, previous: 5, count: 1, longUsd: 10, shortUsd: 0, largestUsd: 10 });
  });

  it('stay exact over many additions and removals (the sums are recomputed when the arrays compact)', () => {
    const windows = new RollingWindows(1000);
    let expected = 0;
    for (let i = 0; i < 20_000; i++) {
      windows.add('s', liquidation(`x${i}`, 0.1 + (i % 7) * 0.01, T0 + i * 10));
      windows.advanceAll(T0 + i * 10);
    }
    for (let i = 20_000 - 100; i < 20_000; i++) expected += 0.1 + (i % 7) * 0.01; // the last 1000 ms: 100 items
    expect(windows.get('s')!.current).toBeCloseTo(expected, 6);
  });

  it('hold a bounded number of liquidations and say when they overflow', () => {
    const windows = new RollingWindows(60_000, 3);
    for (let i = 0; i < 5; i++) windows.add('s', liquidation(`o${i}`, 1, T0 + i));
    expect(windows.get('s')!.figures().count).toBe(3);
    expect(windows.overflowed).toBe(true);
  });
});

describe('a window check', () => {
  it('finds subjects at run time, keeps their once-state, and forgets them when both windows are empty and it is re-armed', () => {
    const check = bind('    window: 10\n    condition: ">> 100k"\n');
    const states = new Map<string, SubjectState>();
    const batch = { at: T0, items: [liquidation('a', 150_000, T0 - 100), liquidation('b', 10, T0 - 50, { symbol: 'ETHUSDT', asset: 'ETH' })] };
    let result = check.onBatch(states, batch);
    expect(result.events.map((e) => e.subject)).toEqual(['BTCUSDT']);
    apply(states, result);
    // A subject found at run time is stored once it has a once-state to keep (BTC fired; ETH did not).
    expect([...states.keys()]).toEqual(['BTCUSDT']);
    // The same batch again (a refused commit): the same result.
    const again = check.onBatch(new Map(), batch);
    expect(again.events.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
    expect((again.events[0] as AlertEvent<{ notional_usd: number } & AlertEvent['data']>).data.notional_usd).toBe(150_000); // counted once

    result = check.onBatch(states, { at: T0 + 5000, items: [] });
    expect(result.events).toEqual([]);
    apply(states, result);
    result = check.onBatch(states, { at: T0 + 25_000, items: [] }); // both windows empty
    apply(states, result);
    expect(result.forget).toEqual(['BTCUSDT']);
    expect(states.size).toBe(0);
  });

  it('is rebuilt from history at start: the volume before the restart counts, the stored once-state holds', () => {
    const check = bind('    window: 60\n    symbols: [BTCUSDT]\n    condition: ">> 100k"\n');
    expect(check.historySince!({ now: T0, lastBatchAt: T0 - 1000 })).toBe(T0 - 120_000);
    expect(check.resume!([liquidation('h', 60_000, T0 - 30_000)], { now: T0, lastBatchAt: T0 - 1000 })).toEqual([]);
    // 'h' arrives live too (it was recorded while the history was read): counted once.
    const fired = check.onBatch(new Map(), { at: T0, items: [liquidation('h', 60_000, T0 - 30_000), liquidation('n', 60_000, T0 - 10)] });
    expect(fired.events).toHaveLength(1);
    expect((fired.events[0] as AlertEvent).data).toMatchObject({ notional_usd: 120_000, count: 2 });
  });
});

describe('a per-liquidation check', () => {
  it('evaluates again, after a restart, what arrived since shortly before its last batch (ids keep it to one event each)', () => {
    const check = bind('    condition: ">= 50k"\n    side: short\n');
    expect(check.historySince!({ now: T0, lastBatchAt: null })).toBeNull();
    expect(check.historySince!({ now: T0, lastBatchAt: T0 - 5000 })).toBe(T0 - 65_000);
    const history = [liquidation('s1', 70_000, T0 - 3000, { side: 'short' }), liquidation('l1', 70_000, T0 - 2000)];
    const missed = check.resume!(history, { now: T0, lastBatchAt: T0 - 5000 });
    expect(missed.map((l) => l.id)).toEqual(['s1']);
    const first = check.onBatch(new Map(), { at: T0, items: missed });
    const later = check.onBatch(new Map(), { at: T0 + 60_000, items: missed });
    expect(first.events.map((e) => e.id)).toEqual(later.events.map((e) => e.id)); // the id is the monitor's and the liquidation's
  });
});

describe('validation', () => {
  const problems = (fields: string) => {
    try {
      monitorOf(fields);
      return [];
    } catch (error) {
      return (error as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    }
  };

  it('refuses a change or a once-operator without a window, saying why and suggesting window:', () => {
    expect(problems('    condition: "> 5%"\n')[0]).toMatch(/^4:16 monitors\[0\]\.condition: "> 5%" measures a change.*add window: <seconds>/);
    expect(problems('    condition: ">> 50k"\n')[0]).toMatch(/^4:16 monitors\[0\]\.condition: ">> 50k" fires once on an edge.*window: <seconds>/);
    expect(problems('    condition: ">> 50k"\n    window: 60\n')).toEqual([]);
  });

  it('names an unknown venue, side or group_by, and a window out of range, all at once', () => {
    const found = problems('    venues: [kraken]\n    side: both\n    window: 100000\n    group_by: venue\n');
    expect(found.map((p) => p.split(':')[0] + ':' + p.split(' ')[1])).toHaveLength(4);
    expect(found.join('\n')).toMatch(/venues\[0\]: must be a venue: aster or binance/);
    expect(found.join('\n')).toMatch(/side: must be long, short or any/);
    expect(found.join('\n')).toMatch(/window: must be at most 86400 seconds/);
    expect(found.join('\n')).toMatch(/group_by: must be symbol .* or all/);
  });

  it('defaults: the feed’s venues, every symbol, either side, ">= 50k", one liquidation at a time', () => {
    const { settings } = monitorOf('    notify: [stdout]\n');
    expect(settings).toMatchObject({ venues: null, symbols: null, side: 'any', window: null, groupBy: 'symbol' });
    expect(settings.condition.source).toBe('>= 50k');
  });
});

describe('Telegram messages', () => {
  it('start a per-liquidation message with the spec’s line, the price quoted as a plain decimal', () => {
    const event = {
      type: 'asterex.liquidation.condition_met',
      subject: 'ETHUSDT',
      data: {
        venue: 'binance',
        symbol: 'ETHUSDT',
        asset: 'ETH',
        side: 'long',
        price: 4319.2,
        quantity: 72.9,
        notional_usd: 314_869.68,
        monitor: 'whales <main>',
        condition: '>= 50k',
        severity: 0.5,
        severity_label: 'high',
      },
    } as unknown as AlertEvent;
    expect(renderLiquidationTelegram(event).split('\n')).toEqual([
      '🔴 #ETH Long Liquidation: $314.9k @ $4,319.2',
      '<b>whales &lt;main&gt;</b> · binance · high',
    ]);
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(64647)).toBe('64647');
  });

  it('name the subject, the window, the split and the change in a window message', () => {
    const event = {
      type: 'asterex.liquidation_window.condition_met',
      subject: 'all',
      data: {
        symbol: null,
        window_seconds: 300,
        notional_usd: 1_250_000,
        previous_notional_usd: 500_000,
        change_percent: 150,
        count: 12,
        long_usd: 1_000_000,
        short_usd: 250_000,
        largest_usd: 400_000,
        monitor: 'cascade',
        condition: '> 100%',
        severity: 0.75,
        severity_label: 'critical',
      },
    } as unknown as AlertEvent;
    const text = renderLiquidationTelegram(event);
    expect(text).toContain('🌊 <b>all symbols</b>: <b>$1.3M</b> liquidated in the last 5 min');
    expect(text).toContain('longs $1M · shorts $250k · 12 liquidations, largest $400k');
    expect(text).toContain('▲ +150.00% against the 5 min before ($500k)');
    expect([duration(60), duration(3600), duration(90)]).toEqual(['60 s', '1 h', '90 s']);
  });
});

describe('the mode', () => {
  it('is registered, with both of its event types', () => {
    expect(liquidationsMode.name).toBe('liquidations');
    expect([liquidationsMode.eventType, ...(liquidationsMode.otherEventTypes ?? [])]).toEqual([
      'asterex.liquidation.condition_met',
      'asterex.liquidation_window.condition_met',
    ]);
  });
});
