/**
 * One 429 or 418 with an absurd Retry-After must not stop all exchange traffic until a
 * restart: 429 windows are at most 5 minutes, bans between 2 minutes and 3 days.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AsterClient, ExchangeBannedError, ExchangeRateLimitedError, fetchAllPrices } from '../../src/exchange/index.js';
import { backOffWindow } from '../../src/exchange/back-off.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

function setup() {
  const clock = new VirtualClock();
  const { logger, lines } = captureLogger();
  const c = new AsterClient({ baseUrl: BASE, clock, logger, random: () => 0.5, maxAttempts: 3 });
  const clampWarnings = () => lines().filter((l) => l.level === 40 && String(l.msg).includes('clamped'));
  return { clock, c, clampWarnings };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('back-off windows', () => {
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);
  it.each([
    [429, '7', 7000, false],
    [429, '0', 0, false],
    [429, undefined, MINUTE, false],
    [429, '300', 5 * MINUTE, false],
    [429, '999999999', 5 * MINUTE, true],
    [429, 'Thu, 01 Jan 2099 00:00:00 GMT', 5 * MINUTE, true],
    [418, '600', 10 * MINUTE, false],
    [418, undefined, 2 * MINUTE, false],
    [418, '5', 2 * MINUTE, true],
    [418, '999999999', 3 * DAY, true],
    [418, 'Thu, 01 Jan 2099 00:00:00 GMT', 3 * DAY, true],
  ] as const)('HTTP %d with Retry-After %j is a window of %d ms', (status, header, ms, clamped) => {
    const window = backOffWindow(header, status, now);
    expect(window.ms).toBe(ms);
    expect(window.clampedFromMs !== undefined).toBe(clamped);
  });
});

describe.each([
  ['999999999 seconds', '999999999'],
  ['an HTTP date in 2099', 'Thu, 01 Jan 2099 00:00:00 GMT'],
])('a 429 with Retry-After of %s', (_name, header) => {
  it('pauses for 5 minutes at most, warns once that it clamped, then sends again', async () => {
    const { clock, c, clampWarnings } = setup();
    const start = clock.time;
    nock(BASE).get('/api/v1/ticker/price').times(2).reply(429, { code: -1003, msg: 'Too many requests' }, { 'Retry-After': header });
    const [first, second] = await Promise.all([failure(fetchAllPrices(c)), failure(fetchAllPrices(c))]);
    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(ExchangeRateLimitedError);
      expect((error as ExchangeRateLimitedError).until.getTime()).toBe(start + 5 * MINUTE);
    }
    expect(clampWarnings()).toHaveLength(1);
    expect(String(clampWarnings()[0]!.msg)).toMatch(/Retry-After .* clamped to 300 s/);
    clock.time = start + 5 * MINUTE;
    nock(BASE)
      .get('/api/v1/ticker/price')
      .reply(200, [{ symbol: 'BTCUSDT', price: '1' }]);
    await expect(fetchAllPrices(c)).resolves.toEqual(new Map([['BTCUSDT', 1]]));
  });
});

describe.each([
  ['999999999 seconds', '999999999'],
  ['an HTTP date in 2099', 'Thu, 01 Jan 2099 00:00:00 GMT'],
])('a 418 with Retry-After of %s', (_name, header) => {
  it('is a ban of 3 days at most, after which requests are sent again', async () => {
    const { clock, c, clampWarnings } = setup();
    const start = clock.time;
    nock(BASE).get('/api/v1/ticker/price').reply(418, { code: -1003, msg: 'banned' }, { 'Retry-After': header });
    const error = await failure(fetchAllPrices(c));
    expect(error).toBeInstanceOf(ExchangeBannedError);
    expect((error as ExchangeBannedError).until.getTime()).toBe(start + 3 * DAY);
    expect(clampWarnings()).toHaveLength(1);
    clock.time = start + 3 * DAY - 1;
    await expect(fetchAllPrices(c)).rejects.toBeInstanceOf(ExchangeBannedError);
    expect(c.stats.requests).toBe(1);
    clock.time = start + 3 * DAY;
    nock(BASE).get('/api/v1/ticker/price').reply(200, []);
    await expect(fetchAllPrices(c)).resolves.toEqual(new Map());
  });
});

it('a 418 shorter than the shortest documented ban is held for 2 minutes', async () => {
  const { clock, c } = setup();
  const start = clock.time;
  nock(BASE).get('/api/v1/ticker/price').reply(418, { code: -1003, msg: 'banned' }, { 'Retry-After': '5' });
  await expect(fetchAllPrices(c)).rejects.toBeInstanceOf(ExchangeBannedError);
  clock.time = start + 10_000;
  await expect(fetchAllPrices(c)).rejects.toBeInstanceOf(ExchangeBannedError);
  expect(c.stats.requests).toBe(1);
  clock.time = start + 2 * MINUTE;
  nock(BASE).get('/api/v1/ticker/price').reply(200, []);
  await expect(fetchAllPrices(c)).resolves.toEqual(new Map());
});
