/**
 * @module exchange/api — the endpoints asterwatch uses, with their weights and decoded bodies.
 */
import type { AsterClient } from './client.js';
import { credentialKind, type Credentials } from './credentials.js';
import { ExchangeMalformedResponseError } from './errors.js';
import { Decoder, quote } from './decode.js';

/** Weights from aster-api.md. */
export const WEIGHT = {
  time: 1,
  exchangeInfo: 1,
  tickerPriceOne: 1,
  tickerPriceAll: 2,
  ticker24hrOne: 1,
  ticker24hrAll: 40,
  account: 5,
  futuresAccount: 5,
  positionRisk: 5,
} as const;

/** The signed account endpoints, by credential kind (aster-accounts.md §3). */
export const ACCOUNT_ENDPOINTS = {
  spotAccount: { v1: '/api/v1/account', v3: '/api/v3/account' },
  futuresAccount: { v1: '/fapi/v4/account', v3: '/fapi/v3/accountWithJoinMargin' },
  positionRisk: { v1: '/fapi/v2/positionRisk', v3: '/fapi/v3/positionRisk' },
} as const;

export interface SymbolInfo {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  status: string;
}

export interface ExchangeInfo {
  symbols: SymbolInfo[];
  /** REQUEST_WEIGHT per minute, when the exchange states it. */
  requestWeightPerMinute: number | null;
}

export interface Balance {
  asset: string;
  free: number;
  locked: number;
}

/**
 * `GET /api/v1/exchangeInfo` (spot; `path` `/fapi/v1/exchangeInfo` for a futures market, the
 * same shape): symbols and the request-weight limit.
 */
export async function fetchExchangeInfo(client: AsterClient, path = '/api/v1/exchangeInfo'): Promise<ExchangeInfo> {
  const d = new Decoder(path);
  const body = d.object(await client.request({ path, weight: WEIGHT.exchangeInfo }), '');
  const symbols = d.array(body.symbols, 'symbols').map((raw, i) => {
    const s = d.object(raw, `symbols[${i}]`);
    return {
      symbol: d.string(s.symbol, `symbols[${i}].symbol`),
      baseAsset: d.string(s.baseAsset, `symbols[${i}].baseAsset`),
      quoteAsset: d.string(s.quoteAsset, `symbols[${i}].quoteAsset`),
      status: typeof s.status === 'string' ? s.status : 'TRADING',
    };
  });
  let requestWeightPerMinute: number | null = null;
  if (Array.isArray(body.rateLimits)) {
    for (const raw of body.rateLimits) {
      const limit = raw as Record<string, unknown>;
      if (limit.rateLimitType === 'REQUEST_WEIGHT' && limit.interval === 'MINUTE' && typeof limit.limit === 'number') {
        const per = typeof limit.intervalNum === 'number' && limit.intervalNum > 0 ? limit.intervalNum : 1;
        requestWeightPerMinute = limit.limit / per;
      }
    }
  }
  if (requestWeightPerMinute !== null) client.budget.setLimit(requestWeightPerMinute);
  return { symbols, requestWeightPerMinute };
}

/** `GET /api/v1/ticker/price` without symbol (weight 2): every symbol's last price. */
export async function fetchAllPrices(client: AsterClient): Promise<Map<string, number>> {
  return strict(await fetchPriceTable(client));
}

/** Like fetchAllPrices, keeping the good rows when some are impossible (each then a problem of its symbol). */
export async function fetchPriceTable(client: AsterClient): Promise<PriceTable> {
  const body = await client.request({ path: '/api/v1/ticker/price', weight: WEIGHT.tickerPriceAll });
  return decodePriceTable(new Decoder('/api/v1/ticker/price'), body, 'price');
}

/** The prices, or the first impossible row's error. */
function strict(table: PriceTable): Map<string, number> {
  const [problem] = table.problems.values();
  if (problem !== undefined) throw problem;
  return table.prices;
}

/**
 * Every symbol's price from an all-symbols ticker, and the rows that could not be read.
 * One impossible row (a price not above 0, a symbol listed twice) must not cost every other
 * symbol its price: it is kept as that symbol's problem, a malformed response naming the
 * field, which any check of that symbol reports (never a zero, never an event).
 */
export interface PriceTable {
  prices: Map<string, number>;
  /** Per symbol, why its row could not be used. */
  problems: Map<string, ExchangeMalformedResponseError>;
}

/**
 * An all-symbols ticker body as symbol -> its price (`price`, or the 24 h `openPrice`).
 * A body that is not a list of objects with symbols fails whole; a bad price or a symbol
 * listed twice makes that symbol a problem of the table.
 */
function decodePriceTable(d: Decoder, body: unknown, field: 'price' | 'openPrice'): PriceTable {
  const table: PriceTable = { prices: new Map(), problems: new Map() };
  const rowOf = new Map<string, number>();
  d.array(body, '').forEach((raw, i) => {
    const row = d.object(raw, `[${i}]`);
    const symbol = d.string(row.symbol, `[${i}].symbol`);
    const first = rowOf.get(symbol);
    try {
      if (first !== undefined) {
        table.prices.delete(symbol);
        d.fail(`[${i}].symbol`, `is ${quote(symbol)}, listed twice (also at [${first}])`);
      }
      rowOf.set(symbol, i);
      table.prices.set(symbol, field === 'price' ? d.price(row.price, `[${i}].price`) : decodeOpenPrice(d, row, `[${i}].`));
    } catch (error) {
      if (!(error instanceof ExchangeMalformedResponseError)) throw error;
      table.prices.delete(symbol);
      table.problems.set(symbol, error);
    }
  });
  return table;
}

/**
 * A 24 h ticker row's `openPrice`. `lastPrice` is not used, but it is checked when
 * present: a row whose last price is not a price is broken, and so is its open price.
 */
function decodeOpenPrice(d: Decoder, row: Record<string, unknown>, prefix: string): number {
  if (row.lastPrice !== undefined) d.price(row.lastPrice, `${prefix}lastPrice`);
  return d.price(row.openPrice, `${prefix}openPrice`);
}

/** `GET /api/v1/ticker/24hr?symbol=` (weight 1): the symbol's price 24 hours ago. */
export async function fetchOpenPrice(client: AsterClient, symbol: string): Promise<number> {
  const d = new Decoder('/api/v1/ticker/24hr');
  const row = d.object(await client.request({ path: '/api/v1/ticker/24hr', params: { symbol }, weight: WEIGHT.ticker24hrOne }), '');
  // Another symbol's open price would become this symbol's baseline, and a false alert.
  const answered = d.string(row.symbol, 'symbol');
  if (answered !== symbol) d.fail('symbol', `is ${quote(answered)}, but ${symbol} was asked for`);
  return decodeOpenPrice(d, row, '');
}

/** `GET /api/v1/ticker/24hr` without symbol (weight 40): every symbol's price 24 hours ago. */
export async function fetchAllOpenPrices(client: AsterClient): Promise<Map<string, number>> {
  return strict(await fetchOpenPriceTable(client));
}

/** Like fetchAllOpenPrices, keeping the good rows when some are impossible. */
export async function fetchOpenPriceTable(client: AsterClient): Promise<PriceTable> {
  const body = await client.request({ path: '/api/v1/ticker/24hr', weight: WEIGHT.ticker24hrAll });
  return decodePriceTable(new Decoder('/api/v1/ticker/24hr'), body, 'openPrice');
}

/** Signed `GET /api/v1/account` (V1) or `/api/v3/account` (V3), weight 5: the spot account's balances. */
export async function fetchAccountBalances(client: AsterClient, credentials: Credentials): Promise<Balance[]> {
  const path = ACCOUNT_ENDPOINTS.spotAccount[credentialKind(credentials)];
  const d = new Decoder(path);
  const body = d.object(await client.request({ path, weight: WEIGHT.account, credentials }), '');
  return decodeBalances(d, body.balances, 'balances');
}

/**
 * Most of one asset an account can hold. No asset on the exchange has a supply near
 * it, and beyond it a double no longer keeps the exchange's 8 decimals (at 1e15 its
 * step is 0.125), so a larger amount is a broken answer, not a fortune.
 */
const MAX_BALANCE = 1e15;

/**
 * Balances as the account endpoint (and `mock_account_data`) give them. The exchange
 * always sends `free` and `locked`, so a missing one is malformed; hand-written mock
 * data may leave `locked` out (`lockedOptional`), and it then counts as 0.
 */
export function decodeBalances(d: Decoder, value: unknown, path: string, options: { lockedOptional?: boolean } = {}): Balance[] {
  return d.array(value, path).map((raw, i) => {
    const at = `${path}[${i}]`;
    const b = d.object(raw, at);
    const free = decodeAmount(d, b.free, at, 'free');
    const locked = b.locked === undefined && options.lockedOptional ? 0 : decodeAmount(d, b.locked, at, 'locked');
    return { asset: d.string(b.asset, `${at}.asset`), free, locked };
  });
}

/** One balance amount: a finite decimal from 0 to MAX_BALANCE. */
function decodeAmount(d: Decoder, value: unknown, at: string, field: 'free' | 'locked'): number {
  const amount = d.decimal(value, `${at}.${field}`);
  if (amount < 0) d.fail(at, `has a negative balance (${at}.${field} is ${amount})`);
  if (amount > MAX_BALANCE) d.fail(`${at}.${field}`, `is ${amount}, more than the 1e15 any one asset can hold`);
  return amount;
}
