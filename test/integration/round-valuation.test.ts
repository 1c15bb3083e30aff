/**
 * What a round does with prices it cannot trust: a held asset missing from one round's
 * ticker, an impossible row for one symbol, an account worth more than a double holds.
 * Never a zero, never a false alert; the check fails naming the cause.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { AsterClient } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { RoundRunner } from '../../src/scheduler/round.js';
import { liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../../src/sources/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

let exchange: FakeExchange;
let store: MemoryStore;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 60000);
  exchange.setPrice('ETHUSDT', 3000, 3000);
  exchange.setPrice('XRPUSDT', 2, 2);
  store = new MemoryStore();
});

afterEach(async () => {
  await store.close();
  await exchange.stop();
});

function runner() {
  const client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
  return new RoundRunner({
    sources: liveCatalog(client, new TickerPriceSource(client)),
    baseline: new Ticker24hrBaselineSource(client, silentLogger()),
    store,
    logger: silentLogger(),
    route: (m) => [...m.notify],
  });
}

const portfolio = (balances: string) =>
  parseConfig(
    `monitors:\n  - name: p\n    monitoring_mode: portfolio\n    portfolio_condition: ">> 5%"\n    mock_account_data: '{"balances":${balances}}'\n`,
    'monitors.yaml',
    {},
  );

describe('a portfolio whose held asset is missing from a round’s ticker', () => {
  const held = '[{"asset":"BTC","free":"1"},{"asset":"ETH","free":"20"},{"asset":"JUNK","free":"5"}]';

  it('fails that round (no false fall, no false rise after) when the pair is listed, and skips only assets that never had a pair', async () => {
    const config = portfolio(held);
    const round = runner();
    const first = await round.run(1000, config.monitors);
    expect(first.failed).toEqual([]);
    expect(first.checks[0]!.warnings).toEqual(['left out of the valuation (no USDT pair): JUNK']);
    expect(first.checks[0]!.subjects[0]!.current).toBe(120000);

    exchange.hiddenFromTicker.add('ETHUSDT');
    const gap = await round.run(2000, config.monitors);
    expect(gap.failed).toEqual(['p']);
    expect(gap.checks[0]!.errors).toEqual([expect.stringContaining('no price for ETHUSDT')]);
    expect(gap.events).toEqual([]);
    expect((await store.statesOf('p')).get('portfolio')).toMatchObject({ value: 120000 });

    exchange.hiddenFromTicker.clear();
    const back = await round.run(3000, config.monitors);
    expect(back.failed).toEqual([]);
    expect(back.events).toEqual([]); // 120,000 -> 120,000: no "+2,700 %"
  });

  it('fails even on a first check when exchangeInfo lists the pair', async () => {
    exchange.hiddenFromTicker.add('ETHUSDT');
    const outcome = await runner().run(1000, portfolio(held).monitors);
    expect(outcome.failed).toEqual(['p']);
    expect(outcome.events).toEqual([]);
  });

  it('refuses a value that is not a finite number instead of storing Infinity', async () => {
    exchange.rawTickerPrices.set('BTCUSDT', '1e300');
    const outcome = await runner().run(1000, portfolio('[{"asset":"BTC","free":"1000000000000000"}]').monitors);
    expect(outcome.failed).toEqual(['p']);
    expect(outcome.checks[0]!.errors).toEqual([expect.stringContaining('not a finite number')]);
    expect((await store.statesOf('p')).size).toBe(0);
  });
});

describe('an impossible price row in the all-symbols ticker', () => {
  it('fails the monitors of that symbol, naming the field, and no other', async () => {
    exchange.rawTickerPrices.set('XRPUSDT', '0');
    const config = parseConfig(
      'monitors:\n  - { name: btc, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n  - { name: xrp, monitoring_mode: market, monitored_assets: [{ asset: XRP, condition: "> 1" }] }\n',
      'monitors.yaml',
      {},
    );
    const outcome = await runner().run(1000, config.monitors);
    expect(outcome.failed).toEqual(['xrp']);
    expect(outcome.checks[1]!.errors).toEqual([expect.stringMatching(/\/api\/v1\/ticker\/price: \[2\]\.price is 0, expected a price above 0/)]);
    expect(outcome.events.map((e) => e.event.subject)).toEqual(['BTC']);
  });
});
