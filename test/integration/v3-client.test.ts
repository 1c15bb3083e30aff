/**
 * The client against the local fake exchange, which verifies V3 signatures for real: the
 * query as signed, the server-time offset, resync-and-retry-once, typed authentication
 * errors, futures on their own budget, and the futures account's recorded baseline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiWallet,
  asterFuturesClient,
  AsterClient,
  decodeOpenPositions,
  Decoder,
  ExchangeAuthError,
  ExchangeRejectedError,
  fetchAccountBalances,
  fetchFuturesAccount,
  fetchOpenPositions,
} from '../../src/exchange/index.js';
import { FuturesAccountSource, FuturesLimits, PositionsSource } from '../../src/sources/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryStore } from '../../src/store/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { KEY, position, SIGNER } from '../helpers/positions.js';

const USER = '0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e';

const POSITION = {
  symbol: 'BTCUSDT',
  positionAmt: '0.5',
  entryPrice: '60000',
  markPrice: '61000',
  liquidationPrice: '58437.6',
  unRealizedProfit: '500',
  leverage: '20',
  marginType: 'isolated',
  positionSide: 'BOTH',
};

let exchange: FakeExchange;
const clients: AsterClient[] = [];
const spot = () => {
  const c = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const futures = () => {
  const c = asterFuturesClient({ baseUrl: exchange.url });
  clients.push(c);
  return c;
};

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.addWallet(SIGNER, {
    user: USER,
    balances: [{ asset: 'USDT', free: '1500', locked: '0' }],
    futures: { totalMarginBalance: '12345.67', totalWalletBalance: '12000', totalUnrealizedProfit: '345.67' },
    positions: [POSITION, { ...POSITION, symbol: 'ETHUSDT', positionAmt: '0' }],
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await exchange.stop();
});

const wallet = (user: string | null = USER) => new ApiWallet({ signer: SIGNER, privateKey: KEY, user });
const queryOf = (path: string) => exchange.requests.filter((r) => r.path === path).map((r) => r.query);

describe('a V3 signed request', () => {
  it('sends the endpoint’s parameters, then nonce, signer and user, then the signature of exactly that; no key header', async () => {
    const c = spot();
    await c.request({ path: '/api/v3/account', params: { recvWindow: 5000 }, weight: 5, credentials: wallet() });
    const [query] = queryOf('/api/v3/account');
    expect([...query!.keys()]).toEqual(['recvWindow', 'nonce', 'signer', 'user', 'signature']);
    expect(query!.get('nonce')).toMatch(/^\d{16}$/);
    expect(Math.abs(Number(query!.get('nonce')) / 1000 - Date.now())).toBeLessThan(5000);
    expect(query!.get('signature')).toMatch(/^0x[0-9a-f]{130}$/);
    expect(await fetchAccountBalances(c, wallet(null))).toEqual([{ asset: 'USDT', free: 1500, locked: 0 }]);
    expect([...queryOf('/api/v3/account')[1]!.keys()]).toEqual(['nonce', 'signer', 'signature']);
  });

  it('signs with the exchange’s clock: a clock 20 s off either way still gets through', async () => {
    for (const offset of [20_000, -20_000]) {
      exchange.clockOffsetMs = offset;
      const c = spot();
      expect(await fetchAccountBalances(c, wallet())).toHaveLength(1);
      const nonce = Number(queryOf('/api/v3/account').at(-1)!.get('nonce'));
      expect(Math.abs(nonce / 1000 - exchange.serverNow())).toBeLessThan(2000);
    }
  });

  it.each([
    [-1021, 'Timestamp for this request is outside of the recvWindow.'],
    [-4225, 'Nonce Expired'],
  ])('resynchronises and retries once on %i, with a new nonce', async (code, msg) => {
    const c = spot();
    exchange.faults.set('/api/v3/account', [{ status: 400, body: { code, msg } }]);
    expect(await fetchAccountBalances(c, wallet())).toHaveLength(1);
    const nonces = queryOf('/api/v3/account').map((q) => Number(q.get('nonce')));
    expect(nonces).toHaveLength(2);
    expect(nonces[1]).toBeGreaterThan(nonces[0]!);
    expect(exchange.count('/api/v1/time')).toBe(2); // the first sync, then the resync
  });

  it('gives up after the one retry', async () => {
    const c = spot();
    const fault = { status: 400, body: { code: -4225, msg: 'Nonce Expired' } };
    exchange.faults.set('/api/v3/account', [fault, fault, fault]);
    const error = await fetchAccountBalances(c, wallet()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRejectedError);
    expect(exchange.count('/api/v3/account')).toBe(2);
  });

  it('refuses a nonce it has seen (the fake exchange, as Aster does)', async () => {
    const c = spot();
    await fetchAccountBalances(c, wallet());
    const used = queryOf('/api/v3/account')[0]!;
    const replay = await fetch(`${exchange.url}/api/v3/account?${used.toString()}`);
    expect(await replay.json()).toEqual({ code: -4225, msg: 'Nonce Expired' });
  });

  it('is an authentication error, not retried, for a signer the exchange does not know — without the key in it', async () => {
    const key = `0x${'ab'.repeat(32)}`;
    const { privateKeyToAddress } = await import('viem/accounts');
    const unknown = new ApiWallet({ signer: privateKeyToAddress(key as `0x${string}`), privateKey: key });
    const c = spot();
    const error = await fetchAccountBalances(c, unknown).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeAuthError);
    expect((error as ExchangeAuthError).code).toBe('EXCHANGE_AUTH');
    expect((error as Error).message).toMatch(/refused the API wallet's signature on \/api\/v3\/account \(code -2015: .*\); check signer, private_key and user/);
    expect((error as Error).message).not.toContain('abab');
    expect(exchange.count('/api/v3/account')).toBe(1);
  });
});

describe('futures', () => {
  it('reads the account and the open positions by credential kind (V1 and V3 endpoints)', async () => {
    exchange.accounts.set('v1-key', {
      secret: 'v1-secret-0123456789',
      balances: [],
      futures: { totalMarginBalance: '99.5' },
      positions: [{ ...POSITION, positionSide: 'LONG' }],
    });
    const c = futures();
    expect(await fetchFuturesAccount(c, wallet())).toEqual({ totalMarginBalance: 12345.67, totalWalletBalance: 12000, totalUnrealizedProfit: 345.67 });
    expect(await fetchFuturesAccount(c, { apiKey: 'v1-key', apiSecret: 'v1-secret-0123456789' })).toEqual({
      totalMarginBalance: 99.5,
      totalWalletBalance: null,
      totalUnrealizedProfit: null,
    });
    const open = await fetchOpenPositions(c, wallet());
    expect(open).toEqual([position()]); // a one-way long of 0.5 BTC, as the fake exchange holds it
    expect((await fetchOpenPositions(c, { apiKey: 'v1-key', apiSecret: 'v1-secret-0123456789' }))[0]!.positionSide).toBe('LONG');
    expect(exchange.requests.map((r) => r.path).filter((p) => p.startsWith('/fapi'))).toEqual([
      '/fapi/v1/time',
      '/fapi/v3/accountWithJoinMargin',
      '/fapi/v4/account',
      '/fapi/v3/positionRisk',
      '/fapi/v2/positionRisk',
    ]);
  });

  it('budgets futures weight apart from spot’s, with the limit of the futures exchangeInfo', async () => {
    const s = spot();
    const f = futures();
    const store = new MemoryStore();
    const limits = new FuturesLimits(f, silentLogger());
    const source = new PositionsSource(f, limits, wallet());
    expect(f.budget.stats().limit).toBe(2400); // the documented futures limit, before any exchangeInfo: never spot's
    await source.fetch(Date.now());
    await source.fetch(Date.now());
    expect(exchange.count('/fapi/v1/exchangeInfo')).toBe(1); // read once, then hourly
    expect(f.budget.stats().limit).toBe(2400);
    expect(s.budget.stats().limit).not.toBe(2400);
    expect(s.stats.weightSent).toBe(0);
    expect(f.stats.weightSent).toBeGreaterThanOrEqual(10);
    await store.close();
  });

  it('records the margin balance and answers the value recorded closest to 24 hours before', async () => {
    const f = futures();
    const store = new MemoryStore();
    const source = new FuturesAccountSource(f, new FuturesLimits(f, silentLogger()), store.readings, wallet());
    const now = Date.now();
    const first = await source.fetch(now);
    expect(first.dayAgo).toBeNull();
    await store.readings.record('futures-margin-balance:unrelated', now - 86_400_000, 1);
    // Readings of this account 24 h 30 min and 23 h 50 min ago: the closer one serves.
    const key = source.key.replace('futures-account:', 'futures-margin-balance:');
    await store.readings.record(key, now - 86_400_000 - 1_800_000, 10_000);
    await store.readings.record(key, now - 86_400_000 + 600_000, 11_000);
    const second = await source.fetch(now);
    expect(second.account.totalMarginBalance).toBe(12345.67);
    expect(second.dayAgo).toEqual({ at: now - 86_400_000 + 600_000, value: 11_000 });
    expect(source.key).not.toContain(KEY.slice(2, 18));
    await store.close();
  });
});

describe('decoding positions', () => {
  const d = new Decoder('/fapi/v3/positionRisk');
  it.each([
    [{ ...POSITION, markPrice: '0' }, '[0].markPrice is 0, expected a price above 0'],
    [{ ...POSITION, liquidationPrice: '-1' }, '[0].liquidationPrice is -1, expected 0 or more'],
    [{ ...POSITION, leverage: 'x' }, '[0].leverage is the string "x", expected a decimal number'],
    [{ ...POSITION, positionSide: 'UP' }, '[0].positionSide is "UP", expected BOTH, LONG or SHORT'],
    [{ ...POSITION, unRealizedProfit: undefined }, '[0].unRealizedProfit is missing, expected a decimal number'],
    [{ ...POSITION, positionAmt: 'NaN' }, '[0].positionAmt is the string "NaN", expected a decimal number'],
  ])('names the field of an impossible open position', (row, message) => {
    expect(() => decodeOpenPositions(d, [row])).toThrow(message);
  });

  it('only needs a symbol and an amount of a closed one', () => {
    expect(decodeOpenPositions(d, [{ symbol: 'SOLUSDT', positionAmt: '0', markPrice: 'garbage' }])).toEqual([]);
  });
});
