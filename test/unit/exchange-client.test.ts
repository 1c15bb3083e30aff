import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  AsterClient,
  ExchangeAuthError,
  ExchangeBannedError,
  ExchangeMalformedResponseError,
  ExchangeRejectedError,
  ExchangeServerError,
  ExchangeUnreachableError,
  fetchAccountBalances,
  fetchAllPrices,
  fetchExchangeInfo,
  signPayload,
} from '../../src/exchange/index.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const credentials = { apiKey: 'test-api-key-0123456789', apiSecret: 'test-secret-do-not-leak-9f8e7d6c5b4a' };

function client(clock = new VirtualClock(), options: Partial<ConstructorParameters<typeof AsterClient>[0]> = {}) {
  return new AsterClient({ baseUrl: BASE, clock, random: () => 0.5, backoffBaseMs: 100, maxAttempts: 3, ...options });
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('signing', () => {
  it('reproduces the documentation test vector', () => {
    expect(
      signPayload(
        'symbol=BNBUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=5&price=1.1&recvWindow=5000&timestamp=1756187806000',
        'fdde510a2b71fa43a43bff3e3cf7819c8c66df34633d338050f4f59664b3b313',
      ),
    ).toBe('e09169bf6c02ec4b29fa1bdc3a967f92c8c6cfcde0551ba1d477b2d3cf4c51b0');
  });

  it('sends the key header and a timestamp corrected by the server-time offset, signature last', async () => {
    const clock = new VirtualClock();
    let seenQuery = '';
    nock(BASE)
      .get('/api/v1/time')
      .reply(200, { serverTime: clock.time + 3000 });
    nock(BASE, { reqheaders: { 'X-MBX-APIKEY': credentials.apiKey } })
      .get('/api/v1/account')
      .query(true)
      .reply(function (uri) {
        seenQuery = uri.split('?')[1]!;
        return [200, { balances: [{ asset: 'BTC', free: '1.5', locked: '0.5' }] }];
      });
    const balances = await fetchAccountBalances(client(clock), credentials);
    expect(balances).toEqual([{ asset: 'BTC', free: 1.5, locked: 0.5 }]);
    const params = new URLSearchParams(seenQuery);
    expect(Number(params.get('timestamp'))).toBe(clock.time + 3000);
    expect(params.get('recvWindow')).toBe('5000');
    expect([...params.keys()].at(-1)).toBe('signature');
    const payload = seenQuery.slice(0, seenQuery.indexOf('&signature='));
    expect(params.get('signature')).toBe(signPayload(payload, credentials.apiSecret));
  });
});

describe('when the exchange answers 429 with Retry-After', () => {
  it('sends no request inside the window, for every caller, and warns once', async () => {
    const clock = new VirtualClock();
    const { logger, lines } = captureLogger();
    const c = client(clock, { logger });
    const sentAt: number[] = [];
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(() => {
        sentAt.push(clock.time);
        return [429, { code: -1003, msg: 'Too many requests' }, { 'Retry-After': '7' }];
      });
    nock(BASE)
      .get('/api/v1/ticker/price')
      .times(2)
      .reply(() => {
        sentAt.push(clock.time);
        return [200, [{ symbol: 'BTCUSDT', price: '64000.5' }]];
      });
    const start = clock.time;
    const first = fetchAllPrices(c);
    const prices = await first;
    const second = await fetchAllPrices(c);
    expect(prices.get('BTCUSDT')).toBe(64000.5);
    expect(second.size).toBe(1);
    expect(sentAt[0]).toBe(start);
    expect(sentAt[1]! - start).toBeGreaterThanOrEqual(7000);
    expect(lines().filter((l) => l.level === 40 && String(l.msg).includes('429'))).toHaveLength(1);
  });
});

describe('when the exchange answers 418', () => {
  it('fails with a ban error and sends nothing more until it passes', async () => {
    const clock = new VirtualClock();
    const c = client(clock);
    nock(BASE).get('/api/v1/ticker/price').reply(418, { code: -1003, msg: 'banned' }, { 'Retry-After': '120' });
    await expect(fetchAllPrices(c)).rejects.toBeInstanceOf(ExchangeBannedError);
    const requestsAfterBan = c.stats.requests;
    await expect(fetchAllPrices(c)).rejects.toThrow(/banned this IP/);
    expect(c.stats.requests).toBe(requestsAfterBan);
    clock.time += 121_000;
    nock(BASE).get('/api/v1/ticker/price').reply(200, []);
    await expect(fetchAllPrices(c)).resolves.toEqual(new Map());
  });
});

describe('retries', () => {
  it('retries a 500 and then succeeds, with a backoff wait', async () => {
    const clock = new VirtualClock();
    const c = client(clock);
    nock(BASE).get('/api/v1/ticker/price').reply(500, 'oops');
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(200, [{ symbol: 'ETHUSDT', price: '3000' }]);
    expect((await fetchAllPrices(c)).get('ETHUSDT')).toBe(3000);
    expect(c.stats.retries).toBe(1);
    expect(clock.sleeps).toEqual([75]);
  });

  it('gives up on persistent 5xx after the bounded attempts', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').times(3).reply(503, '');
    const error = await fetchAllPrices(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeServerError);
    expect((error as Error).message).toBe('the exchange failed on /api/v1/ticker/price with HTTP 503 after 3 attempts');
  });

  it('reports a timeout as unreachable after retrying', async () => {
    const c = client(new VirtualClock(), { timeoutMs: 50, maxAttempts: 2 });
    nock(BASE).get('/api/v1/ticker/price').times(2).delay(300).reply(200, []);
    const error = await fetchAllPrices(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('timed out');
    expect(c.stats.requests).toBe(2);
  });

  it('reports a refused connection as unreachable', async () => {
    const c = new AsterClient({ baseUrl: 'http://127.0.0.1:9', clock: new VirtualClock(), maxAttempts: 2, backoffBaseMs: 1 });
    nock.enableNetConnect('127.0.0.1');
    const error = await fetchAllPrices(c).catch((e: unknown) => e);
    nock.disableNetConnect();
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('does not retry a 400', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/24hr').query({ symbol: 'NOPEUSDT' }).reply(400, { code: -1121, msg: 'Invalid symbol.' });
    const error = await c.request({ path: '/api/v1/ticker/24hr', params: { symbol: 'NOPEUSDT' }, weight: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRejectedError);
    expect((error as ExchangeRejectedError).exchangeCode).toBe(-1121);
    expect(c.stats.requests).toBe(1);
  });
});

describe('malformed responses', () => {
  it.each([
    [
      'an HTML page',
      () => nock(BASE).get('/api/v1/ticker/price').reply(200, '<html><body>Cloudflare</body></html>', { 'Content-Type': 'text/html' }),
      /HTML page instead of JSON/,
    ],
    ['truncated JSON', () => nock(BASE).get('/api/v1/ticker/price').reply(200, '[{"symbol":"BTCUSDT","price":"640'), /not valid JSON/],
    [
      'a non-numeric price',
      () =>
        nock(BASE)
          .get('/api/v1/ticker/price')
          .reply(200, [{ symbol: 'BTCUSDT', price: 'abc' }]),
      /\[0\]\.price is the string "abc", expected a decimal number/,
    ],
    [
      'a missing price',
      () =>
        nock(BASE)
          .get('/api/v1/ticker/price')
          .reply(200, [{ symbol: 'BTCUSDT' }]),
      /\[0\]\.price is missing/,
    ],
    [
      'an object instead of the array',
      () => nock(BASE).get('/api/v1/ticker/price').reply(200, { symbol: 'BTCUSDT', price: '1' }),
      /the body is an object, expected an array/,
    ],
  ])('rejects %s', async (_name, arrange, message) => {
    arrange();
    const error = await fetchAllPrices(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeMalformedResponseError);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects an account balance that is not a number instead of valuing it at 0', async () => {
    const clock = new VirtualClock();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE)
      .get('/api/v1/account')
      .query(true)
      .reply(200, { balances: [{ asset: 'BTC', free: '', locked: '0' }] });
    await expect(fetchAccountBalances(client(clock), credentials)).rejects.toThrow(/balances\[0\]\.free is the string "", expected a decimal number/);
  });
});

describe('signed-request faults', () => {
  it('resynchronises the clock on -1021 and retries once', async () => {
    const clock = new VirtualClock();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE).get('/api/v1/account').query(true).reply(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    nock(BASE)
      .get('/api/v1/time')
      .reply(200, { serverTime: clock.time + 9000 });
    let timestamp = 0;
    nock(BASE)
      .get('/api/v1/account')
      .query((q) => {
        timestamp = Number(q.timestamp);
        return true;
      })
      .reply(200, { balances: [] });
    await expect(fetchAccountBalances(client(clock), credentials)).resolves.toEqual([]);
    expect(timestamp).toBe(clock.time + 9000);
  });

  it('fails clearly on a bad signature, without retrying', async () => {
    const clock = new VirtualClock();
    const c = client(clock);
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE).get('/api/v1/account').query(true).reply(400, { code: -1022, msg: 'Signature for this request is not valid.' });
    const error = await fetchAccountBalances(c, credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeAuthError);
    expect((error as ExchangeAuthError).code).toBe('EXCHANGE_AUTH');
    expect((error as Error).message).toContain('refused the API key or signature');
    expect(c.stats.byPath['/api/v1/account']).toBe(1);
  });

  it.each([-2014, -2015])('treats %d as a bad key', async (code) => {
    const clock = new VirtualClock();
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE).get('/api/v1/account').query(true).reply(401, { code, msg: 'Invalid API-key, IP, or permissions for action.' });
    await expect(fetchAccountBalances(client(clock), credentials)).rejects.toBeInstanceOf(ExchangeAuthError);
  });

  it('never lets the secret or the signature reach a log line or an error', async () => {
    const clock = new VirtualClock();
    const { logger, text } = captureLogger('trace');
    const c = client(clock, { logger });
    let signature = '';
    nock(BASE).get('/api/v1/time').reply(200, { serverTime: clock.time });
    nock(BASE)
      .get('/api/v1/account')
      .query((q) => {
        signature = String(q.signature);
        return true;
      })
      .times(3)
      .reply(503, 'down');
    const error = (await fetchAccountBalances(c, credentials).catch((e: unknown) => e)) as Error;
    logger.error({ err: error }, 'check failed');
    const everything = [text(), error.message, error.stack ?? '', JSON.stringify(error), String(error.cause ?? '')].join('\n');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(everything).not.toContain(credentials.apiSecret);
    expect(everything).not.toContain(signature);
    expect(everything).not.toContain(credentials.apiKey);
  });
});

describe('request weight', () => {
  it('reads the limit from exchangeInfo and waits for the next minute instead of crossing it', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 21, 12, 0, 10));
    const c = client(clock);
    nock(BASE)
      .get('/api/v1/exchangeInfo')
      .reply(200, {
        rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 7 }],
        symbols: [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'TRADING' }],
      });
    const info = await fetchExchangeInfo(c);
    expect(info.requestWeightPerMinute).toBe(7);
    const sentAt: number[] = [];
    nock(BASE)
      .get('/api/v1/ticker/price')
      .times(4)
      .reply(() => {
        sentAt.push(clock.time);
        return [200, []];
      });
    for (let i = 0; i < 4; i++) await fetchAllPrices(c);
    // 1 (exchangeInfo) + 2 + 2 + 2 = 7: the fourth ticker call (weight 2) waits for 12:01.
    expect(sentAt.slice(0, 3).every((t) => t === Date.UTC(2026, 10, 21, 12, 0, 10))).toBe(true);
    expect(sentAt[3]).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21, 12, 1, 0));
    expect(c.budget.stats().waits).toBe(1);
  });

  it('counts the weight the exchange reports in X-MBX-USED-WEIGHT-1M', async () => {
    const c = client();
    nock(BASE).get('/api/v1/ticker/price').reply(200, [], { 'X-MBX-USED-WEIGHT-1M': '5900' });
    await fetchAllPrices(c);
    expect(c.budget.usedWeight).toBe(5900);
  });
});
