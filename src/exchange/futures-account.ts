/**
 * @module exchange/futures-account — a futures account's value and its open positions
 * (aster-accounts.md §3), decoded field by field: a missing or impossible field is an
 * error naming it, never a zero.
 */
import { ACCOUNT_ENDPOINTS, WEIGHT } from './api.js';
import type { AsterClient } from './client.js';
import { credentialKind, type Credentials } from './credentials.js';
import { Decoder } from './decode.js';

/** A futures account's totals, in USD. */
export interface FuturesAccount {
  /** Wallet balance plus unrealised profit: what the account is worth now. */
  totalMarginBalance: number;
  totalWalletBalance: number | null;
  totalUnrealizedProfit: number | null;
}

export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';

/** One open position (`positionAmt` ≠ 0). */
export interface Position {
  symbol: string;
  /** Negative for a short. */
  positionAmt: number;
  entryPrice: number;
  markPrice: number;
  /** 0 when the position has none (fully collateralised). */
  liquidationPrice: number;
  unRealizedProfit: number;
  leverage: number;
  marginType: string;
  positionSide: PositionSide;
}

/** No account or position is worth more than this; beyond it a double loses the cents, so it is a broken answer. */
const MAX_USD = 1e15;
const SIDES: ReadonlySet<string> = new Set(['BOTH', 'LONG', 'SHORT']);

/** Signed `GET /fapi/v4/account` (V1) or `/fapi/v3/accountWithJoinMargin` (V3), weight 5. */
export async function fetchFuturesAccount(client: AsterClient, credentials: Credentials): Promise<FuturesAccount> {
  const path = ACCOUNT_ENDPOINTS.futuresAccount[credentialKind(credentials)];
  const d = new Decoder(path);
  const body = d.object(await client.request({ path, weight: WEIGHT.futuresAccount, credentials }), '');
  const usd = (field: string) => {
    const value = d.decimal(body[field], field);
    if (Math.abs(value) > MAX_USD) d.fail(field, `is ${value}, beyond the 1e15 USD any account can hold`);
    return value;
  };
  return {
    totalMarginBalance: usd('totalMarginBalance'),
    totalWalletBalance: body.totalWalletBalance === undefined ? null : usd('totalWalletBalance'),
    totalUnrealizedProfit: body.totalUnrealizedProfit === undefined ? null : usd('totalUnrealizedProfit'),
  };
}

/** Signed `GET /fapi/v2/positionRisk` (V1) or `/fapi/v3/positionRisk` (V3), weight 5: the open positions. */
export async function fetchOpenPositions(client: AsterClient, credentials: Credentials): Promise<Position[]> {
  const path = ACCOUNT_ENDPOINTS.positionRisk[credentialKind(credentials)];
  return decodeOpenPositions(new Decoder(path), await client.request({ path, weight: WEIGHT.positionRisk, credentials }));
}

/**
 * The rows whose `positionAmt` is not 0, decoded whole; the others (the exchange lists
 * every symbol) only need a symbol and an amount.
 */
export function decodeOpenPositions(d: Decoder, body: unknown): Position[] {
  const open: Position[] = [];
  d.array(body, '').forEach((raw, i) => {
    const at = `[${i}]`;
    const row = d.object(raw, at);
    const symbol = d.string(row.symbol, `${at}.symbol`);
    const positionAmt = d.decimal(row.positionAmt, `${at}.positionAmt`);
    if (positionAmt === 0) return;
    const nonNegative = (field: string) => {
      const value = d.decimal(row[field], `${at}.${field}`);
      if (value < 0) d.fail(`${at}.${field}`, `is ${value}, expected 0 or more`);
      return value;
    };
    const usd = (field: string) => {
      const value = d.decimal(row[field], `${at}.${field}`);
      if (Math.abs(value) > MAX_USD) d.fail(`${at}.${field}`, `is ${value}, beyond the 1e15 USD any position can be worth`);
      return value;
    };
    const side = d.string(row.positionSide, `${at}.positionSide`);
    if (!SIDES.has(side)) d.fail(`${at}.positionSide`, `is ${JSON.stringify(side.slice(0, 20))}, expected BOTH, LONG or SHORT`);
    const leverage = d.decimal(row.leverage, `${at}.leverage`);
    if (!(leverage > 0)) d.fail(`${at}.leverage`, `is ${leverage}, expected above 0`);
    open.push({
      symbol,
      positionAmt,
      entryPrice: nonNegative('entryPrice'),
      markPrice: d.price(row.markPrice, `${at}.markPrice`),
      liquidationPrice: nonNegative('liquidationPrice'),
      unRealizedProfit: usd('unRealizedProfit'),
      leverage,
      marginType: d.string(row.marginType, `${at}.marginType`),
      positionSide: side as PositionSide,
    });
  });
  return open;
}
