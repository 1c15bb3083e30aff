/**
 * A round runs its checks against a baseline probe and, when one asked for a 24 h price, runs
 * again only the checks that consulted it. Some checks keep memory between calls (a position's
 * direction, a warning said once): run twice, they would lose an alert or a warning.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { Position } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { RoundRunner } from '../../src/scheduler/round.js';
import { PriceSnapshot, type Need, type SourceCatalog } from '../../src/sources/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { KEY, position, SIGNER, T0 } from '../helpers/positions.js';

function setup() {
  let open: Position[] = [];
  const positions: Need<Position[]> = { key: 'positions:test', fetch: async () => open };
  const prices: Need<PriceSnapshot> = { key: 'prices', fetch: async (at) => new PriceSnapshot(at, new Map([['ETHUSDT', 3300]])) };
  const futures = {
    key: 'futures:test',
    fetch: async () => ({ account: { totalMarginBalance: 1000, totalWalletBalance: null, totalUnrealizedProfit: null }, dayAgo: null }),
  };
  const sources = { prices, positions: () => positions, futuresAccount: () => futures } as unknown as SourceCatalog;
  let now = T0;
  const store = SqliteStore.open(':memory:');
  const runner = new RoundRunner({
    sources,
    store,
    logger: silentLogger(),
    now: () => now,
    route: () => [],
    baseline: { openPrices: async (symbols) => ({ openPrices: new Map(symbols.map((s) => [s, 3000])), missing: [] }) },
  });
  return { runner, store, set: (p: Position[]) => (open = p), at: (t: number) => (now = t) };
}

const yaml = (withMarket: boolean) =>
  `monitors:\n  - { name: perps, monitoring_mode: positions, signer: "${SIGNER}", private_key: "${KEY}" }\n` +
  `  - { name: fut, monitoring_mode: portfolio, account: futures, api_key: k, api_secret: s, portfolio_condition: ">> 5%" }\n` +
  (withMarket ? '  - { name: eth, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 5%" }] }\n' : '');

describe('the baseline probe runs again only the checks that consulted it', () => {
  it('a one-way position that flipped is a new position even when another monitor asks for the baseline', async () => {
    const { runner, store, set, at } = setup();
    const before = parseConfig(yaml(false), 'monitors.yaml', {});
    set([position()]); // long, 4.2 %: fires
    at(T0);
    expect((await runner.run(T0, before.monitors)).events.map((e) => e.event.subject)).toEqual(['BTCUSDT']);
    // Next round: a market monitor was added (its first check asks the baseline) and the position flipped short.
    // The same (unchanged) perps/fut monitor objects, plus a new market monitor.
    const eth = parseConfig(yaml(true), 'monitors.yaml', {}).monitors[2]!;
    set([position({ positionAmt: -0.5, liquidationPrice: 63562 })]);
    at(T0 + 60_000);
    const outcome = await runner.run(T0 + 60_000, [...before.monitors, eth]);
    const perps = outcome.checks.find((c) => c.monitor === 'perps')!;
    expect(perps.subjects[0]!.previousFrom).toBe('none'); // flipped: starts fresh
    expect(outcome.events.map((e) => e.event.subject)).toContain('BTCUSDT');
    await store.close();
  });

  it("the futures portfolio's once-said 'no value 24 hours ago' warning is not swallowed by the probe pass", async () => {
    const { runner, store, set, at } = setup();
    const config = parseConfig(yaml(true), 'monitors.yaml', {});
    set([]);
    at(T0);
    const outcome = await runner.run(T0, config.monitors);
    expect(outcome.checks.find((c) => c.monitor === 'fut')!.warnings).toHaveLength(1);
    await store.close();
  });

  it('the positions not-evaluable warning (said once) is not swallowed by the probe pass', async () => {
    const { runner, store, set, at } = setup();
    const config = parseConfig(yaml(true), 'monitors.yaml', {});
    set([position({ liquidationPrice: 0 })]);
    at(T0);
    const outcome = await runner.run(T0, config.monitors);
    expect(outcome.checks.find((c) => c.monitor === 'perps')!.warnings).toEqual([
      'BTCUSDT: liquidation_distance is not evaluable: it has no liquidation price (0)',
    ]);
    await store.close();
  });
});

describe('a check that asked for the baseline', () => {
  it('runs again with the prices fetched, without the probe run’s warning; a warm round fetches nothing', async () => {
    const { runner, store, at } = setup();
    const config = parseConfig(
      'monitors:\n  - { name: eth, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 5%" }] }\n',
      'monitors.yaml',
      {},
    );
    at(T0);
    const first = await runner.run(T0, config.monitors);
    expect(first.checks[0]!.subjects[0]).toMatchObject({ previousFrom: 'baseline', previous: 3000 });
    expect(first.checks[0]!.warnings).toEqual([]);
    expect(first.events.map((e) => e.event.subject)).toEqual(['ETH']); // 3000 -> 3300
    at(T0 + 60_000);
    const warm = await runner.run(T0 + 60_000, config.monitors);
    expect(warm.checks[0]!.subjects[0]).toMatchObject({ previousFrom: 'state', previous: 3300 });
    await store.close();
  });
});
