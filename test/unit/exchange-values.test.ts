/**
 * Values no exchange can mean (a zero price, a symbol listed twice, 1e308 BTC) are
 * malformed responses naming the field: never an event, never a zero.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AsterClient,
  ExchangeMalformedResponseError,
  fetchAccountBalances,
  fetchAllOpenPrices,
  fetchAllPrices,
  fetchOpenPrice,
} from '../../src/exchange/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const credentials = { apiKey: 'test-api-key-0123456789', apiSecret: 'test-secret-do-not-leak-9f8e7d6c5b4a' };
const client = (clock = new VirtualClock()) => new AsterClient({ baseUrl: BASE, clock, random: () => 0.5, maxAttempts: 1 });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

async function malformed(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExchangeMalformedResponseError);
  return (error as Error).message;
}

describe('/api/v1/ticker/price', () => {
  it.each([
    ['0', /\[1\]\.price is 0, expected a price above 0/],
    ['-3.5', /\[1\]\.price is -3\.5, expected a price above 0/],
    ['0.00000000', /\[1\]\.price is 0, expected a price above 0/],
  ])('rejects the price %j', async (price, message) => {
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(200, [
        { symbol: 'BTCUSDT', price: '64000' },
        { symbol: 'ETHUSDT', price },
      ]);
    expect(await malformed(fetchAllPrices(client()))).toMatch(message);
  });

  it('rejects a symbol listed twice', async () => {
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(200, [
        { symbol: 'BTCUSDT', price: '64000' },
        { symbol: 'ETHUSDT', price: '3000' },
        { symbol: 'BTCUSDT', price: '1' },
      ]);
    expect(await malformed(fetchAllPrices(client()))).toMatch(/\[2\]\.symbol is "BTCUSDT", listed twice \(also at \[0\]\)/);
  });
});

describe('/api/v1/ticker/24hr', () => {
  it.each([
    [{ symbol: 'ETHUSDT', openPrice: '0' }, /\[1\]\.openPrice is 0, expected a price above 0/],
    [{ symbol: 'ETHUSDT', openPrice: '-1' }, /\[1\]\.openPrice is -1, expected a price above 0/],
    [{ symbol: 'ETHUSDT', openPrice: '3000', lastPrice: '0' }, /\[1\]\.lastPrice is 0, expected a price above 0/],
    [{ symbol: 'BTCUSDT', openPrice: '3000' }, /\[1\]\.symbol is "BTCUSDT", listed twice \(also at \[0\]\)/],
  ])('rejects the all-symbols row %j', async (row, message) => {
    nock(BASE)
      .get('/api/v1/ticker/24hr')
      .reply(200, [{ symbol: 'BTCUSDT', openPrice: '60000', lastPrice: '64000' }, row]);
    expect(await malformed(fetchAllOpenPrices(client()))).toMatch(message);
  });

  it('rejects an answer for another symbol as the baseline', async () => {
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'BTCUSDT' }).reply(200, { symbol: 'ETHUSDT', openPrice: '3000' });
    expect(await malformed(fetchOpenPrice(client(), 'BTCUSDT'))).toMatch(/symbol is "ETHUSDT", but BTCUSDT was asked for/);
  });

  it.each([
    [{ symbol: 'BTCUSDT', openPrice: '0' }, /openPrice is 0, expected a price above 0/],
    [{ symbol: 'BTCUSDT', openPrice: '60000', lastPrice: '-1' }, /lastPrice is -1, expected a price above 0/],
    [{ openPrice: '60000' }, /symbol is missing/],
  ])('rejects the one-symbol answer %j', async (row, message) => {
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'BTCUSDT' }).reply(200, row);
    expect(await malformed(fetchOpenPrice(client(), 'BTCUSDT'))).toMatch(message);
  });

  it('reads a sane one-symbol answer', async () => {
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'BTCUSDT' }).reply(200, { symbol: 'BTCUSDT', openPrice: '60000', lastPrice: '64000' });
    await expect(fetchOpenPrice(client(), 'BTCUSDT')).resolves.toBe(60000);
  });
});

describe('/api/v1/account balances', () => {
  it.each([
    [{ asset: 'BTC', free: '1e308', locked: '0' }, /balances\[0\]\.free is 1e\+308, more than the 1e15 any one asset can hold/],
    [{ asset: 'BTC', free: '1', locked: 2e15 }, /balances\[0\]\.locked is 2000000000000000, more than the 1e15/],
    [{ asset: 'BTC', free: '1e400', locked: '0' }, /balances\[0\]\.free is the string "1e400", expected a decimal number/],
    [{ asset: 'BTC', free: '1', locked: '-0.5' }, /balances\[0\] has a negative balance \(balances\[0\]\.locked is -0\.5\)/],
  ])('rejects %j, naming the field', async (balance, message) => {
    const clock = new VirtualClock();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE)
      .get('/api/v1/account')
      .query(true)
      .reply(200, { balances: [balance] });
    expect(await malformed(fetchAccountBalances(client(clock), credentials))).toMatch(message);
  });

  it('accepts a balance of exactly 1e15', async () => {
    const clock = new VirtualClock();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE)
      .get('/api/v1/account')
      .query(true)
      .reply(200, { balances: [{ asset: 'SHIB', free: '1000000000000000', locked: '0' }] });
    await expect(fetchAccountBalances(client(clock), credentials)).resolves.toEqual([{ asset: 'SHIB', free: 1e15, locked: 0 }]);
  });
});
