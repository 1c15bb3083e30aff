/**
 * The first round of a set of monitors asks the checks that can say which 24 h prices they
 * need, fetches those first, and runs every check once: at 1,000,000 monitors a probe run
 * followed by a second run held two results per monitor at once (the process's peak). A check
 * that asks for a symbol nobody announced still gets its price: fetched, and it alone runs again.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, type MonitorConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/log/logger.js';
import type { PolledCheck, PolledDriver } from '../../src/modes/mode.js';
import { RoundRunner } from '../../src/scheduler/round.js';
import { PriceSnapshot, type Need, type SourceCatalog } from '../../src/sources/index.js';
import { SqliteStore } from '../../src/store/index.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const PRICES = new Map([
  ['ETHUSDT', 3300],
  ['BTCUSDT', 66000],
]);

function setup(fetchBaseline: (symbols: readonly string[]) => Promise<Map<string, number>>) {
  const prices: Need<PriceSnapshot> = { key: 'prices', fetch: async (at) => new PriceSnapshot(at, PRICES) };
  const fetches: string[][] = [];
  const store = SqliteStore.open(':memory:');
  const runner = new RoundRunner({
    sources: { prices } as unknown as SourceCatalog,
    store,
    logger: silentLogger(),
    now: () => T0,
    route: () => [],
    baseline: {
      openPrices: async (symbols: readonly string[]) => {
        fetches.push([...symbols].sort());
        return { openPrices: await fetchBaseline(symbols), missing: [] };
      },
    },
  });
  return { runner, store, fetches };
}

/** The monitor with its check wrapped: counts its runs and, when `hideSymbols`, says no symbols beforehand. */
function counted(monitor: MonitorConfig, runs: Map<string, number>, hideSymbols = false): MonitorConfig {
  const driver = monitor.plugin.driver as PolledDriver<unknown>;
  const bind = (m: MonitorConfig, sources: SourceCatalog): PolledCheck => {
    const inner = driver.bind(m, sources);
    return {
      needs: inner.needs,
      ...(!hideSymbols && { baselineSymbols: inner.baselineSymbols!.bind(inner) }),
      check: (states, inputs) => {
        runs.set(m.name, (runs.get(m.name) ?? 0) + 1);
        return inner.check(states, inputs);
      },
    };
  };
  return { ...monitor, plugin: { ...monitor.plugin, driver: { kind: 'polled', bind } } } as MonitorConfig;
}

const yaml = `monitors:
  - { name: eth, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 5%" }] }
  - { name: btc, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 5%" }] }
`;

describe("a round's first check of its monitors", () => {
  it('fetches the baseline the checks announce before any runs, and runs each check once', async () => {
    const { runner, store, fetches } = setup(async (symbols) => new Map(symbols.map((s) => [s, s === 'ETHUSDT' ? 3000 : 60000])));
    const runs = new Map<string, number>();
    const monitors = parseConfig(yaml, 'monitors.yaml', {}).monitors.map((m) => counted(m, runs));
    const outcome = await runner.run(T0, monitors);
    expect(fetches).toEqual([['BTCUSDT', 'ETHUSDT']]);
    expect(Object.fromEntries(runs)).toEqual({ eth: 1, btc: 1 });
    expect(outcome.checks.map((c) => c.subjects[0])).toMatchObject([
      { previousFrom: 'baseline', previous: 3000 },
      { previousFrom: 'baseline', previous: 60000 },
    ]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['ETH', 'BTC']);
    // The next round of the same monitors reads their states: no baseline, each check once more.
    await runner.run(T0 + 60_000, monitors);
    expect(fetches).toHaveLength(1);
    expect(Object.fromEntries(runs)).toEqual({ eth: 2, btc: 2 });
    await store.close();
  });

  it('a check that announced nothing but asks gets its price: fetched after, and only that check runs again', async () => {
    const { runner, store, fetches } = setup(async (symbols) => new Map(symbols.map((s) => [s, s === 'ETHUSDT' ? 3000 : 60000])));
    const runs = new Map<string, number>();
    const [eth, btc] = parseConfig(yaml, 'monitors.yaml', {}).monitors;
    const outcome = await runner.run(T0, [counted(eth!, runs), counted(btc!, runs, true)]);
    expect(fetches).toEqual([['ETHUSDT'], ['BTCUSDT']]);
    expect(Object.fromEntries(runs)).toEqual({ eth: 1, btc: 2 });
    expect(outcome.checks.map((c) => c.subjects[0])).toMatchObject([
      { previousFrom: 'baseline', previous: 3000 },
      { previousFrom: 'baseline', previous: 60000 },
    ]);
    expect(outcome.checks.every((c) => c.warnings.length === 0)).toBe(true);
    await store.close();
  });

  it('when the baseline cannot be fetched, every check runs once without a previous value and nothing is fetched again', async () => {
    const { runner, store, fetches } = setup(async () => {
      throw new Error('exchange down');
    });
    const runs = new Map<string, number>();
    const monitors = parseConfig(yaml, 'monitors.yaml', {}).monitors.map((m) => counted(m, runs));
    const outcome = await runner.run(T0, monitors);
    expect(fetches).toHaveLength(1);
    expect(Object.fromEntries(runs)).toEqual({ eth: 1, btc: 1 });
    expect(outcome.checks.map((c) => c.subjects[0]!.previousFrom)).toEqual(['none', 'none']);
    expect(outcome.checks.map((c) => c.warnings)).toEqual([
      ['ETHUSDT: no 24-hour baseline; "> 5%" is not evaluable until the next check'],
      ['BTCUSDT: no 24-hour baseline; "> 5%" is not evaluable until the next check'],
    ]);
    await store.close();
  });
});
