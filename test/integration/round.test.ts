import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type LoadedConfig } from '../../src/config/index.js';
import { AsterClient } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { RoundRunner } from '../../src/scheduler/round.js';
import { liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../../src/sources/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

const ASSETS = Array.from({ length: 20 }, (_, i) => `A${String.fromCharCode(65 + i)}`);

function fiftyMonitors(): string {
  const lines = ['monitors:'];
  for (let m = 0; m < 50; m++) {
    lines.push(`  - name: m${m}`, '    monitoring_mode: market', '    monitored_assets:');
    for (let a = 0; a < 4; a++) lines.push(`      - { asset: ${ASSETS[(m + a * 5) % 20]}, condition: ">> 5%" }`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a round against a real local exchange', () => {
  let exchange: FakeExchange;
  let store: SqliteStore;
  let client: AsterClient;

  beforeEach(async () => {
    exchange = await new FakeExchange().start();
    for (const asset of ASSETS) exchange.setPrice(`${asset}USDT`, 100, 90);
    exchange.setPrice('BTCUSDT', 60000, 50000);
    store = SqliteStore.open(':memory:');
    client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
  });

  afterEach(async () => {
    await store.close();
    await exchange.stop();
  });

  function runner(config: LoadedConfig, now = () => Date.now()) {
    return new RoundRunner({
      sources: liveCatalog(client, new TickerPriceSource(client)),
      baseline: new Ticker24hrBaselineSource(client, silentLogger()),
      store,
      logger: silentLogger(),
      now,
      route: (m) => [...m.notify],
    });
  }

  it('makes exactly one ticker request per round for 50 market monitors over 20 assets', async () => {
    const config = parseConfig(fiftyMonitors(), 'monitors.yaml', {});
    const round = runner(config);
    const first = await round.run(1_000, config.monitors);
    expect(exchange.count('/api/v1/ticker/price')).toBe(1);
    // First run: one baseline fetch for the 20 symbols (per-symbol is cheaper than the weight-40 call).
    expect(exchange.count('/api/v1/ticker/24hr')).toBe(20);
    expect(first.failed).toEqual([]);
    expect(first.events).toHaveLength(200); // every subject rose 11.1% from its 24 h open

    exchange.requests.length = 0;
    const second = await round.run(2_000, config.monitors);
    expect(exchange.count('/api/v1/ticker/price')).toBe(1);
    expect(exchange.count('/api/v1/ticker/24hr')).toBe(0);
    expect(exchange.requests).toHaveLength(1);
    expect(second.events).toHaveLength(0);
  });

  it('values a signed account once per round even when two monitors share it', async () => {
    exchange.accounts.set('key-1', {
      secret: 'secret-1',
      balances: [
        { asset: 'BTC', free: '1', locked: '1' },
        { asset: 'USDT', free: '500', locked: '0' },
        { asset: 'JUNK', free: '3', locked: '0' },
      ],
    });
    const config = parseConfig(
      `monitors:
  - { name: a, monitoring_mode: portfolio, api_key: key-1, api_secret: secret-1, portfolio_condition: "> 100000" }
  - { name: b, monitoring_mode: portfolio, api_key: key-1, api_secret: secret-1, portfolio_condition: ">> 5%" }
`,
      'monitors.yaml',
      {},
    );
    const outcome = await runner(config).run(1_000, config.monitors);
    expect(exchange.count('/api/v1/account')).toBe(1);
    expect(outcome.events.map((e) => [e.event.source, e.event.data])).toEqual([
      [
        'asterwatch/monitors/a',
        expect.objectContaining({ current_value: '$120,500.00', previous_value: '$100,500.00', skipped_assets: ['JUNK'], severity: 0.15 }),
      ],
      ['asterwatch/monitors/b', expect.objectContaining({ change_percent: '+19.90%', severity: 0.25, severity_label: 'medium' })],
    ]);
  });

  it('uses mock_account_data without calling the account endpoint', async () => {
    const config = parseConfig(
      `monitors:
  - name: demo
    monitoring_mode: portfolio
    mock_account_data: '{"balances":[{"asset":"BTC","free":"100","locked":"0"}]}'
`,
      'monitors.yaml',
      {},
    );
    const outcome = await runner(config).run(1_000, config.monitors);
    expect(exchange.count('/api/v1/account')).toBe(0);
    expect(outcome.events[0]!.event.data).toMatchObject({ current_value: '$6,000,000.00', previous_value: '$5,000,000.00', change_percent: '+20.00%' });
  });

  it('fails only the monitor whose account is refused, and keeps the others', async () => {
    const config = parseConfig(
      `monitors:
  - { name: bad, monitoring_mode: portfolio, api_key: nope, api_secret: s }
  - name: good
    monitoring_mode: market
    monitored_assets: [{ asset: BTC, condition: "> 1" }, { asset: ZZZ, condition: "> 1" }]
`,
      'monitors.yaml',
      {},
    );
    const outcome = await runner(config).run(1_000, config.monitors);
    expect(outcome.failed).toEqual(['bad', 'good']);
    expect(outcome.checks[0]!.errors[0]).toMatch(/refused the API key/);
    expect(outcome.checks[1]!.errors).toEqual(["no price for ZZZUSDT in the exchange's ticker; is ZZZ listed against USDT?"]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['BTC']);
    expect([...(await store.monitorStatuses()).values()].map((s) => [s.monitor, s.lastResult])).toEqual([
      ['bad', 'error'],
      ['good', 'error'],
    ]);
  });

  it("fetches the baseline only for a new monitor's first check, and its first check reads it without a warning", async () => {
    const yaml = (extra: string) => `monitors:\n  - { name: old, monitoring_mode: market, monitored_assets: [{ asset: AA, condition: "> 5%" }] }\n${extra}`;
    const before = parseConfig(yaml(''), 'monitors.yaml', {});
    const round = runner(before);
    await round.run(1_000, before.monitors);
    await round.run(2_000, before.monitors);
    exchange.requests.length = 0;
    const after = parseConfig(yaml('  - { name: new, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 5%" }] }\n'), 'monitors.yaml', {});
    const outcome = await round.run(3_000, after.monitors);
    expect(exchange.requests.filter((r) => r.path === '/api/v1/ticker/24hr').map((r) => r.query.get('symbol'))).toEqual(['BTCUSDT']);
    expect(outcome.checks.map((c) => [c.monitor, c.subjects[0]!.previousFrom, c.subjects[0]!.previous, c.warnings])).toEqual([
      ['old', 'state', 100, []],
      ['new', 'baseline', 50000, []],
    ]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['BTC']); // 50k -> 60k
  });

  it('runs a first check without a previous value when the baseline cannot be fetched', async () => {
    exchange.faults.set('/api/v1/ticker/24hr', [{ status: 500, body: 'down' }]);
    const config = parseConfig(
      'monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 5%" }, { asset: AA, condition: "> 50" }] }\n',
      'monitors.yaml',
      {},
    );
    const outcome = await runner(config).run(1_000, config.monitors);
    expect(outcome.checks[0]!.subjects.map((s) => [s.subject, s.previousFrom, s.evaluation.evaluable])).toEqual([
      ['BTC', 'none', false],
      ['AA', 'none', true],
    ]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['AA']);
  });

  it('resumes previous and armed from state younger than 24 hours, and uses the baseline for older state', async () => {
    const config = parseConfig(
      'monitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: ">> 5%" }] }\n',
      'monitors.yaml',
      {},
    );
    let now = Date.UTC(2026, 0, 1);
    const round = runner(config, () => now);
    expect((await round.run(now, config.monitors)).events).toHaveLength(1); // 50k -> 60k
    now += 23 * 3600_000;
    exchange.setPrice('BTCUSDT', 66000);
    expect((await round.run(now, config.monitors)).events).toHaveLength(0); // +10% but disarmed
    now += 25 * 3600_000;
    const stale = await round.run(now, config.monitors);
    expect(stale.checks[0]!.subjects[0]!.previousFrom).toBe('baseline');
    expect(stale.events).toHaveLength(1);
  });

  it('binds a set of monitors once and reuses it while the rounds have the same ones, in whatever array; changed, reordered or other monitors are bound anew', async () => {
    const yaml = (condition: string) =>
      `monitors:\n  - { name: a, monitoring_mode: market, monitored_assets: [{ asset: AA, condition: "${condition}" }] }\n  - { name: b, monitoring_mode: market, monitored_assets: [{ asset: AB, condition: "> 1" }] }\n`;
    const first = parseConfig(yaml('> 1'), 'monitors.yaml', {});
    const round = runner(first, () => 60_000);
    const names = (outcome: { checks: Array<{ monitor: string; events: unknown[] }> }) => outcome.checks.map((c) => [c.monitor, c.events.length]);
    expect(names(await round.run(60_000, first.monitors))).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    // The same monitors in a new array, then reordered, then a subset.
    expect(names(await round.run(120_000, [...first.monitors]))).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(names(await round.run(180_000, [first.monitors[1]!, first.monitors[0]!]))).toEqual([
      ['b', 1],
      ['a', 1],
    ]);
    expect(names(await round.run(240_000, [first.monitors[1]!]))).toEqual([['b', 1]]);
    // An array the caller changes in place after a round is not mistaken for the last round's.
    const mutable = [...first.monitors];
    await round.run(300_000, mutable);
    const reloaded = parseConfig(yaml('> 1000'), 'monitors.yaml', {});
    mutable[0] = reloaded.monitors[0]!;
    expect(names(await round.run(360_000, mutable))).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });
});
