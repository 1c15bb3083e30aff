/**
 * @module exchange/api — the endpoints asterwatch uses, with their weights and decoded bodies.
 */
import type { AsterClient, Credentials } from './client.js';
import { Decoder } from './decode.js';

/** Weights from aster-api.md. */
export const WEIGHT = {
  time: 1,
  exchangeInfo: 1,
  tickerPriceOne: 1,
  tickerPriceAll: 2,
  ticker24hrOne: 1,
  ticker24hrAll: 40,
  account: 5,
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

/** `GET /api/v1/exchangeInfo`: symbols and the request-weight limit. */
export async function fetchExchangeInfo(client: AsterClient): Promise<ExchangeInfo> {
  const d = new Decoder('/api/v1/exchangeInfo');
  const body = d.object(await client.request({ path: '/api/v1/exchangeInfo', weight: WEIGHT.exchangeInfo }), '');
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
  const body = await client.request({ path: '/api/v1/ticker/price', weight: WEIGHT.tickerPriceAll });
  return decodePriceTable(new Decoder('/api/v1/ticker/price'), body, 'price');
}

/** An all-symbols ticker body as symbol -> the decimal in `field`; any bad row is an error naming it. */
function decodePriceTable(d: Decoder, body: unknown, field: 'price' | 'openPrice'): Map<string, number> {
  const prices = new Map<string, number>();
  d.array(body, '').forEach((raw, i) => {
    const row = d.object(raw, `[${i}]`);
    prices.set(d.string(row.symbol, `[${i}].symbol`), d.decimal(row[field], `[${i}].${field}`));
  });
  return prices;
}

/** `GET /api/v1/ticker/24hr?symbol=` (weight 1): the symbol's price 24 hours ago. */
export async function fetchOpenPrice(client: AsterClient, symbol: string): Promise<number> {
  const d = new Decoder('/api/v1/ticker/24hr');
  const row = d.object(await client.request({ path: '/api/v1/ticker/24hr', params: { symbol }, weight: WEIGHT.ticker24hrOne }), '');
  return d.decimal(row.openPrice, 'openPrice');
}

/** `GET /api/v1/ticker/24hr` without symbol (weight 40): every symbol's price 24 hours ago. */
export async function fetchAllOpenPrices(client: AsterClient): Promise<Map<string, number>> {
  const body = await client.request({ path: '/api/v1/ticker/24hr', weight: WEIGHT.ticker24hrAll });
  return decodePriceTable(new Decoder('/api/v1/ticker/24hr'), body, 'openPrice');
}

/** Signed `GET /api/v1/account` (weight 5): the account's balances. */
export async function fetchAccountBalances(client: AsterClient, credentials: Credentials): Promise<Balance[]> {
  const d = new Decoder('/api/v1/account');
  const body = d.object(await client.request({ path: '/api/v1/account', weight: WEIGHT.account, credentials }), '');
  return decodeBalances(d, body.balances, 'balances');
}

/**
 * Balances as the account endpoint (and `mock_account_data`) give them. The exchange
 * always sends `free` and `locked`, so a missing one is malformed; hand-written mock
 * data may leave `locked` out (`lockedOptional`), and it then counts as 0.
 */
export function decodeBalances(d: Decoder, value: unknown, path: string, options: { lockedOptional?: boolean } = {}): Balance[] {
  return d.array(value, path).map((raw, i) => {
    const b = d.object(raw, `${path}[${i}]`);
    const free = d.decimal(b.free, `${path}[${i}].free`);
    const locked = b.locked === undefined && options.lockedOptional ? 0 : d.decimal(b.locked, `${path}[${i}].locked`);
    if (free < 0 || locked < 0) d.fail(`${path}[${i}]`, 'has a negative balance');
    return { asset: d.string(b.asset, `${path}[${i}].asset`), free, locked };
  });
}
