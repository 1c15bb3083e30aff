/**
 * The request-weight budget never sends over the limit, never waits forever for a
 * request that cannot fit, and says so when it makes a request wait.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AsterClient, ExchangeError, fetchAllPrices, WeightBudget } from '../../src/exchange/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { QueuedClock, VirtualClock } from '../helpers/virtual-clock.js';

const BASE = 'http://exchange.test';
const MINUTE = 60_000;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a request heavier than the whole per-minute limit', () => {
  it('fails at once with EXCHANGE_WEIGHT, naming the weight, the limit and the endpoint', async () => {
    const clock = new VirtualClock();
    const c = new AsterClient({ baseUrl: BASE, clock, maxAttempts: 1 });
    c.budget.setLimit(30);
    const error = await failure(c.request({ path: '/api/v1/ticker/24hr', weight: 40 }));
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).code).toBe('EXCHANGE_WEIGHT');
    expect((error as Error).message).toMatch(/\/api\/v1\/ticker\/24hr has request weight 40, more than the exchange's limit of 30 per minute/);
    expect(c.stats.requests).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('fails even when part of the minute is used (the budget used to wait ten times, then send)', async () => {
    const clock = new VirtualClock();
    const budget = new WeightBudget(clock, silentLogger());
    budget.setLimit(30);
    await budget.reserve(5);
    const error = await failure(budget.reserve(40, '/api/v1/ticker/24hr'));
    expect((error as ExchangeError).code).toBe('EXCHANGE_WEIGHT');
    expect(budget.usedWeight).toBe(5);
  });
});

describe('X-MBX-USED-WEIGHT-1M', () => {
  it('an absurd count is clamped to the limit, and the wait it causes is logged at info with its reason', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 21, 12, 0, 3));
    const { logger, lines } = captureLogger();
    const c = new AsterClient({ baseUrl: BASE, clock, logger, maxAttempts: 1 });
    const sentAt: number[] = [];
    nock(BASE)
      .get('/api/v1/ticker/price')
      .times(2)
      .reply(() => {
        sentAt.push(clock.time);
        return [200, [], { 'X-MBX-USED-WEIGHT-1M': '999999' }];
      });
    await fetchAllPrices(c);
    expect(c.budget.usedWeight).toBe(6000);
    await fetchAllPrices(c);
    expect(sentAt[1]).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21, 12, 1, 0));
    const waits = lines().filter((l) => l.level === 30 && String(l.msg).includes('waiting for the next minute'));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ endpoint: '/api/v1/ticker/price', weight: 2, used: 6000, limit: 6000, waitMs: 57_005 });
  });

  it('a wait under a second is logged at debug only', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 21, 12, 0, 59, 500));
    const { logger, lines } = captureLogger();
    const budget = new WeightBudget(clock, logger);
    budget.observeUsedWeight('6000');
    await budget.reserve(1, '/api/v1/time');
    expect(clock.sleeps).toEqual([505]);
    expect(
      lines()
        .filter((l) => String(l.msg).includes('waiting for the next minute'))
        .map((l) => l.level),
    ).toEqual([20]);
  });
});

describe('many requests competing for a small limit', () => {
  it('never sends over the limit, however many minutes it takes', async () => {
    const clock = new QueuedClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const budget = new WeightBudget(clock, silentLogger());
    budget.setLimit(2);
    const grantedAt: number[] = [];
    const all = Promise.all(Array.from({ length: 15 }, () => budget.reserve(2, '/api/v1/ticker/price').then(() => grantedAt.push(clock.now()))));
    await clock.run();
    await all;
    expect(grantedAt).toHaveLength(15);
    const minutes = grantedAt.map((t) => Math.floor(t / MINUTE));
    // Weight 2 against a limit of 2: one request per minute, never two.
    expect(new Set(minutes).size).toBe(15);
  });
});
