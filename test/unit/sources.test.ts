import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AsterClient } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import {
  baselineStrategy,
  MockAccountDataError,
  parseMockAccountData,
  Ticker24hrBaselineSource,
  TickerPriceSource,
  valueBalances,
  valueBalancesAtBaseline,
} from '../../src/sources/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const newClient = () => new AsterClient({ baseUrl: BASE, clock: new VirtualClock(), maxAttempts: 1 });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('the price source', () => {
  it('takes one all-symbols ticker snapshot and reports symbols it lacks as undefined', async () => {
    nock(BASE)
      .get('/api/v1/ticker/price')
      .once()
      .reply(200, [
        { symbol: 'BTCUSDT', price: '64000.10' },
        { symbol: 'ETHUSDT', price: '3000' },
      ]);
    const client = newClient();
    const snapshot = await new TickerPriceSource(client).snapshot();
    expect(snapshot.price('BTCUSDT')).toBe(64000.1);
    expect(snapshot.price('DOGEUSDT')).toBeUndefined();
    expect(client.stats).toMatchObject({ requests: 1, weightSent: 2 });
  });

  it('shares one request between rounds that ask at the same time', async () => {
    nock(BASE)
      .get('/api/v1/ticker/price')
      .once()
      .delay(50)
      .reply(200, [{ symbol: 'BTCUSDT', price: '1' }]);
    const client = newClient();
    const source = new TickerPriceSource(client);
    const [a, b] = await Promise.all([source.snapshot(), source.snapshot()]);
    expect(a).toBe(b);
    expect(client.stats.requests).toBe(1);
  });
});

describe('the baseline source', () => {
  it.each([
    [1, 'per-symbol'],
    [39, 'per-symbol'],
    [40, 'all'],
    [300, 'all'],
  ] as const)('for %d symbols calls %s', (count, strategy) => expect(baselineStrategy(count)).toBe(strategy));

  it('asks per symbol when that is cheaper, and lists a symbol the exchange does not know as missing', async () => {
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'BTCUSDT' }).reply(200, { symbol: 'BTCUSDT', openPrice: '60000' });
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'NOPEUSDT' }).reply(400, { code: -1121, msg: 'Invalid symbol.' });
    const client = newClient();
    const baseline = await new Ticker24hrBaselineSource(client, silentLogger()).openPrices(['BTCUSDT', 'NOPEUSDT', 'BTCUSDT']);
    expect([...baseline.openPrices]).toEqual([['BTCUSDT', 60000]]);
    expect(baseline.missing).toEqual(['NOPEUSDT']);
    expect(client.stats.weightSent).toBe(2);
  });

  it('uses the single all-symbols call for 40 symbols or more', async () => {
    const symbols = Array.from({ length: 45 }, (_, i) => `A${i}USDT`);
    nock(BASE)
      .get('/api/v1/ticker/24hr')
      .once()
      .reply(
        200,
        symbols.slice(1).map((symbol) => ({ symbol, openPrice: '2' })),
      );
    const client = newClient();
    const baseline = await new Ticker24hrBaselineSource(client, silentLogger()).openPrices(symbols);
    expect(baseline.openPrices.size).toBe(44);
    expect(baseline.missing).toEqual(['A0USDT']);
    expect(client.stats).toMatchObject({ requests: 1, weightSent: 40 });
  });
});

describe('portfolio valuation', () => {
  const prices = new Map([
    ['BTCUSDT', 60000],
    ['ETHUSDT', 3000],
  ]);

  it('sums (free + locked) × price, values USDT at 1.0 and skips assets without a USDT pair', () => {
    const valuation = valueBalances(
      [
        { asset: 'BTC', free: 1, locked: 0.5 },
        { asset: 'USDT', free: 1000, locked: 0 },
        { asset: 'FOO', free: 10, locked: 0 },
        { asset: 'BAR', free: 0, locked: 0 },
      ],
      (s) => prices.get(s),
    );
    expect(valuation).toEqual({ value: 91_000, skipped: ['FOO'] });
  });

  it('values the baseline at 24-hour-ago prices, falling back to the current price and naming the asset', () => {
    const open = new Map([['BTCUSDT', 50000]]);
    const baseline = valueBalancesAtBaseline(
      [
        { asset: 'BTC', free: 2, locked: 0 },
        { asset: 'ETH', free: 1, locked: 0 },
        { asset: 'USDT', free: 5, locked: 0 },
      ],
      (s) => prices.get(s),
      (s) => open.get(s),
    );
    expect(baseline).toEqual({ value: 103_005, skipped: [], atCurrentPrice: ['ETH'] });
  });
});

describe('mock_account_data', () => {
  it('accepts a JSON string or an object, with locked optional', () => {
    expect(parseMockAccountData('{"balances":[{"asset":"BTC","free":"100","locked":"0"}]}')).toEqual([{ asset: 'BTC', free: 100, locked: 0 }]);
    expect(parseMockAccountData({ balances: [{ asset: 'ETH', free: 2 }] })).toEqual([{ asset: 'ETH', free: 2, locked: 0 }]);
  });

  it.each([
    ['{"balances":', /not valid JSON/],
    [{ balance: [] }, /balances is missing, expected an array/],
    [{ balances: [{ asset: 'BTC', free: 'lots' }] }, /balances\[0\]\.free is the string "lots"/],
    [{ balances: [{ asset: 'BTC', free: '-1' }] }, /balances\[0\] has a negative balance/],
  ])('rejects %j with the field named', (data, message) => {
    expect(() => parseMockAccountData(data)).toThrow(MockAccountDataError);
    expect(() => parseMockAccountData(data)).toThrow(message);
  });
});
