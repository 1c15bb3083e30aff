/**
 * Only what can succeed on a second try is retried (connection refused/reset/aborted,
 * EAI_AGAIN, timeouts, 5xx); the final error names the real cause. Anything else, an
 * ExchangeError from a nested request or a plain bug, propagates as itself.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AsterClient, ExchangeBannedError, ExchangeError, ExchangeUnreachableError, fetchAccountBalances, fetchAllPrices } from '../../src/exchange/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const credentials = { apiKey: 'test-api-key-0123456789', apiSecret: 'test-secret-do-not-leak-9f8e7d6c5b4a' };
const client = (clock = new VirtualClock(), options: Partial<ConstructorParameters<typeof AsterClient>[0]> = {}) =>
  new AsterClient({ baseUrl: BASE, clock, random: () => 0.5, backoffBaseMs: 100, maxAttempts: 3, ...options });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
/** A socket error as Node raises it (nock 14 needs an Error instance, not a plain object). */
const networkError = (code: string) => Object.assign(new Error(`${code} on the way`), { code });

describe('network errors', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE'])('retries %s and then succeeds', async (code) => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').replyWithError(networkError(code));
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(200, [{ symbol: 'BTCUSDT', price: '1' }]);
    expect((await fetchAllPrices(c)).get('BTCUSDT')).toBe(1);
    expect(c.stats.retries).toBe(1);
  });

  it('names the cause after the last attempt', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').times(3).replyWithError(networkError('ECONNRESET'));
    const error = await failure(fetchAllPrices(c));
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toBe(
      'the exchange did not answer /api/v1/ticker/price (ECONNRESET) after 3 attempts; check ASTER_BASE_URL and the network',
    );
  });

  it('does not retry ENOTFOUND: a name that does not resolve will not resolve in 250 ms', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').replyWithError(networkError('ENOTFOUND'));
    const error = await failure(fetchAllPrices(c));
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('(ENOTFOUND) after 1 attempt;');
    expect(c.stats.requests).toBe(1);
    expect(c.stats.retries).toBe(0);
  });

  it('does not retry an error without a code: nothing says it is transient', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').replyWithError(new Error('something odd'));
    const error = await failure(fetchAllPrices(c));
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('(network error) after 1 attempt;');
    expect(c.stats.retries).toBe(0);
  });

  it('says how long it waited when it timed out', async () => {
    const c = client(new VirtualClock(), { timeoutMs: 50, maxAttempts: 2 });
    nock(BASE).get('/api/v1/ticker/price').times(2).delay(300).reply(200, []);
    const error = await failure(fetchAllPrices(c));
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('(timed out after 50 ms) after 2 attempts');
  });
});

describe('what is not a network error', () => {
  it('lets a ban raised by the nested time sync propagate as itself', async () => {
    const c = client();
    nock(BASE).get('/api/v1/time').reply(418, { code: -1003, msg: 'banned' }, { 'Retry-After': '300' });
    const error = await failure(fetchAccountBalances(c, credentials));
    expect(error).toBeInstanceOf(ExchangeBannedError);
    expect((error as ExchangeBannedError).endpoint).toBe('/api/v1/time');
    expect(c.stats.retries).toBe(0);
    expect(c.stats.byPath['/api/v1/account']).toBeUndefined();
  });

  it('lets a signing failure propagate as itself, without retrying or sending', async () => {
    const c = client();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: Date.now() });
    const broken = { apiKey: 'k', apiSecret: undefined as unknown as string };
    const error = await failure(fetchAccountBalances(c, broken));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ExchangeError);
    expect(c.stats.retries).toBe(0);
    expect(c.stats.byPath['/api/v1/account']).toBeUndefined();
  });

  it('keeps a secret of the wrong type out of the signing error', async () => {
    const c = client();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: Date.now() });
    const numeric = { apiKey: 'k', apiSecret: 987654321 as unknown as string };
    const error = await failure(fetchAccountBalances(c, numeric));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('the credentials for /api/v1/account must be strings (apiKey, apiSecret)');
    expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain('987654321');
    expect(c.stats.byPath['/api/v1/account']).toBeUndefined();
  });

  it('lets a programming error propagate as itself, without retrying', async () => {
    const c = client();
    const bad = {
      toString: () => {
        throw new RangeError('a bug');
      },
    } as unknown as string;
    const error = await failure(c.request({ path: '/api/v1/ticker/price', params: { symbol: bad }, weight: 1 }));
    expect(error).toBeInstanceOf(RangeError);
    expect(c.stats.retries).toBe(0);
  });
});
