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
import { MockAccountSource } from '../../src/sources/account.js';
import type { ListedSymbols } from '../../src/sources/listed-symbols.js';
import { SqliteStore, StaleStateError } from '../../src/store/index.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const PRICES = new Map([
  ['ETHUSDT', 3300],
  ['BTCUSDT', 66000],
]);

function setup(fetchBaseline: (symbols: readonly string[]) => Promise<Map<string, number>>) {
  const exchange = { down: false };
  const prices: Need<PriceSnapshot> = {
    key: 'prices',
    exchangeWide: true,
    fetch: async (at) => {
      if (exchange.down) throw new Error('the exchange is unreachable');
      return new PriceSnapshot(at, PRICES);
    },
  };
  const fetches: string[][] = [];
  const store = SqliteStore.open(':memory:');
  const runner = new RoundRunner({
    sources: {
      prices,
      listedSymbols: { key: 'listed', fetch: async (): Promise<ListedSymbols> => ({ known: true, listed: (symbol) => PRICES.has(symbol) }) },
      mockAccount: (owner: string, data: unknown) => new MockAccountSource(owner, data),
    } as unknown as SourceCatalog,
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
  return { runner, store, fetches, exchange };
}

/**
 * The monitor with its check wrapped: counts its runs (and, as `<name>:symbols`, its answers to
 * which symbols it needs); `symbols: 'hidden'` says none beforehand, `'throws'` fails saying.
 */
function counted(monitor: MonitorConfig, runs: Map<string, number>, symbols: 'said' | 'hidden' | 'throws' = 'said'): MonitorConfig {
  const driver = monitor.plugin.driver as PolledDriver<unknown>;
  const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1);
  const bind = (m: MonitorConfig, sources: SourceCatalog): PolledCheck => {
    const inner = driver.bind(m, sources);
    return {
      get needs() {
        return inner.needs;
      },
      ...(symbols !== 'hidden' && {
        baselineSymbols: (states, inputs, into) => {
          count(`${m.name}:symbols`);
          if (symbols === 'throws') throw new Error('cannot say');
          inner.baselineSymbols!(states, inputs, into);
        },
      }),
      check: (states, inputs) => {
        count(m.name);
        return inner.check(states, inputs);
      },
    };
  };
  return { ...monitor, plugin: { ...monitor.plugin, driver: { kind: 'polled', bind } } } as MonitorConfig;
}

/** The store refuses its next commit with `error`, then writes as usual (another writer's change, a full disk). */
function failFirstCommit(store: SqliteStore, error: Error): void {
  const commit = store.commit.bind(store);
  let failed = false;
  store.commit = async (round) => {
    if (failed) return commit(round);
    failed = true;
    throw error;
  };
}

/** A 24 h baseline that answers 3000 for any symbol, but refuses a request naming BTCUSDT. */
const btcRateLimited = async (symbols: readonly string[]) => {
  if (symbols.includes('BTCUSDT')) throw new Error('rate limited');
  return new Map(symbols.map((s) => [s, 3000]));
};

/** The 24 h baseline's answer: ETH 3000, BTC 60000. */
const dayAgo = async (symbols: readonly string[]) => new Map(symbols.map((s) => [s, s === 'ETHUSDT' ? 3000 : 60000]));

const yaml = `monitors:
  - { name: eth, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 5%" }] }
  - { name: btc, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 5%" }] }
`;

describe("a round's first check of its monitors", () => {
  it('fetches the baseline the checks announce before any runs, and runs each check once', async () => {
    const { runner, store, fetches } = setup(dayAgo);
    const runs = new Map<string, number>();
    const monitors = parseConfig(yaml, 'monitors.yaml', {}).monitors.map((m) => counted(m, runs));
    const outcome = await runner.run(T0, monitors);
    expect(fetches).toEqual([['BTCUSDT', 'ETHUSDT']]);
    expect(Object.fromEntries(runs)).toEqual({ 'eth:symbols': 1, 'btc:symbols': 1, eth: 1, btc: 1 });
    expect(outcome.checks.map((c) => c.subjects[0])).toMatchObject([
      { previousFrom: 'baseline', previous: 3000 },
      { previousFrom: 'baseline', previous: 60000 },
    ]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['ETH', 'BTC']);
    // The next round of the same monitors reads their states: no baseline, each check once more, and no pass asking first.
    await runner.run(T0 + 60_000, monitors);
    expect(fetches).toHaveLength(1);
    expect(Object.fromEntries(runs)).toEqual({ 'eth:symbols': 1, 'btc:symbols': 1, eth: 2, btc: 2 });
    await store.close();
  });

  it.each([
    ['announced nothing', 'hidden', { 'eth:symbols': 1, eth: 1, btc: 2 }],
    ['could not say (threw)', 'throws', { 'eth:symbols': 1, 'btc:symbols': 1, eth: 1, btc: 2 }],
  ] as const)('a check that %s but asks gets its price: fetched after, and only that check runs again', async (_, symbols, expectedRuns) => {
    const { runner, store, fetches } = setup(dayAgo);
    const runs = new Map<string, number>();
    const [eth, btc] = parseConfig(yaml, 'monitors.yaml', {}).monitors;
    const outcome = await runner.run(T0, [counted(eth!, runs), counted(btc!, runs, symbols)]);
    expect(fetches).toEqual([['ETHUSDT'], ['BTCUSDT']]);
    expect(Object.fromEntries(runs)).toEqual(expectedRuns);
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
    expect(Object.fromEntries(runs)).toEqual({ 'eth:symbols': 1, 'btc:symbols': 1, eth: 1, btc: 1 });
    expect(outcome.checks.map((c) => c.subjects[0]!.previousFrom)).toEqual(['none', 'none']);
    expect(outcome.checks.map((c) => c.warnings)).toEqual([
      ['ETHUSDT: no 24-hour baseline; "> 5%" is not evaluable until the next check'],
      ['BTCUSDT: no 24-hour baseline; "> 5%" is not evaluable until the next check'],
    ]);
    await store.close();
  });

  it('when the follow-up fetch fails, the checks that asked see no baseline; the others keep theirs', async () => {
    const { runner, store, fetches } = setup(btcRateLimited);
    const runs = new Map<string, number>();
    const [eth, btc] = parseConfig(yaml, 'monitors.yaml', {}).monitors;
    const outcome = await runner.run(T0, [counted(eth!, runs), counted(btc!, runs, 'hidden')]);
    expect(fetches).toEqual([['ETHUSDT'], ['BTCUSDT']]);
    expect(outcome.checks[0]!.subjects[0]).toMatchObject({ previousFrom: 'baseline', previous: 3000 });
    expect(outcome.checks[1]!.subjects[0]!.previousFrom).toBe('none');
    expect(outcome.checks[1]!.warnings).toEqual(['BTCUSDT: no 24-hour baseline; "> 5%" is not evaluable until the next check']);
    await store.close();
  });

  it("when the follow-up fetch fails, a portfolio that asked is not valued against a half baseline (no change, as when the round's one fetch fails)", async () => {
    const { runner, store, fetches } = setup(btcRateLimited);
    const runs = new Map<string, number>();
    const config = parseConfig(
      yaml +
        `  - { name: book, monitoring_mode: portfolio, portfolio_condition: ">> 5%", mock_account_data: '{"balances":[{"asset":"BTC","free":"1"},{"asset":"ETH","free":"1"}]}' }\n`,
      'monitors.yaml',
      {},
    );
    const [eth, , book] = config.monitors;
    const outcome = await runner.run(T0, [counted(eth!, runs), counted(book!, runs, 'hidden')]);
    expect(fetches).toEqual([['ETHUSDT'], ['BTCUSDT']]);
    const portfolio = outcome.checks[1]!;
    expect(portfolio.errors).toEqual([]);
    expect(portfolio.subjects[0]).toMatchObject({ subject: 'portfolio', previousFrom: 'none' });
    expect(portfolio.warnings.join('\n')).not.toMatch(/no 24-hour price/);
    expect(outcome.checks[0]!.subjects[0]).toMatchObject({ previousFrom: 'baseline', previous: 3000 });
    await store.close();
  });

  it.each([
    ['was fetched', false, [['ETHUSDT'], ['BTCUSDT']]],
    ['failed', true, [['ETHUSDT'], ['BTCUSDT'], ['BTCUSDT']]],
  ] as const)(
    'a re-evaluation after another writer keeps the baseline fetched, and asks again for what a failed follow-up left out (follow-up %s)',
    async (_, failOnce, expectedFetches) => {
      let failures = failOnce ? 1 : 0;
      const { runner, store, fetches } = setup(async (symbols) => {
        if (symbols.includes('BTCUSDT') && failures-- > 0) throw new Error('rate limited');
        return dayAgo(symbols);
      });
      const runs = new Map<string, number>();
      const [eth, btc] = parseConfig(yaml, 'monitors.yaml', {}).monitors;
      failFirstCommit(store, new StaleStateError([{ monitor: 'eth', subject: 'ETH' }]));
      const outcome = await runner.run(T0, [counted(eth!, runs), counted(btc!, runs, 'hidden')]);
      expect(fetches).toEqual(expectedFetches);
      expect(outcome.checks.map((c) => c.subjects[0])).toMatchObject([
        { previousFrom: 'baseline', previous: 3000 },
        { previousFrom: 'baseline', previous: 60000 },
      ]);
      await store.close();
    },
  );

  it('asks nothing while the exchange is down, and asks first again in the next round, once it answers', async () => {
    const { runner, store, fetches, exchange } = setup(dayAgo);
    const runs = new Map<string, number>();
    const monitors = parseConfig(yaml, 'monitors.yaml', {}).monitors.map((m) => counted(m, runs));
    exchange.down = true;
    const down = await runner.run(T0, monitors);
    expect(down.exchangeError).toBe('the exchange is unreachable');
    expect(down.failed).toEqual(['eth', 'btc']);
    expect(fetches).toEqual([]);
    exchange.down = false;
    runs.clear();
    const up = await runner.run(T0 + 60_000, monitors);
    expect(fetches).toEqual([['BTCUSDT', 'ETHUSDT']]);
    expect(Object.fromEntries(runs)).toEqual({ 'eth:symbols': 1, 'btc:symbols': 1, eth: 1, btc: 1 });
    expect(up.checks.map((c) => c.subjects[0]!.previousFrom)).toEqual(['baseline', 'baseline']);
    await store.close();
  });

  it('asks first again in the next round when the first could not be written', async () => {
    const { runner, store, fetches } = setup(async (symbols) => new Map(symbols.map((s) => [s, 3000])));
    const runs = new Map<string, number>();
    const monitors = parseConfig(yaml, 'monitors.yaml', {}).monitors.map((m) => counted(m, runs));
    failFirstCommit(store, new Error('disk full'));
    await expect(runner.run(T0, monitors)).rejects.toThrow('disk full');
    runs.clear();
    await runner.run(T0 + 60_000, monitors);
    expect(fetches).toHaveLength(2);
    expect(Object.fromEntries(runs)).toEqual({ 'eth:symbols': 1, 'btc:symbols': 1, eth: 1, btc: 1 });
    await store.close();
  });
});
