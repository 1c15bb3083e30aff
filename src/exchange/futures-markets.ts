/**
 * @module exchange/futures-markets — where each venue's futures market answers, and its symbol list.
 *
 * Liquidation monitors name futures symbols (BTCUSDT perpetual), which the spot market's
 * exchangeInfo does not list: they are checked against the venue's futures exchangeInfo.
 */
import type { Logger } from '../log/logger.js';
import { fetchExchangeInfo, type SymbolInfo } from './api.js';
import { AsterClient } from './client.js';

/** Aster's futures REQUEST_WEIGHT per minute, as documented (aster-accounts.md §3). */
export const FUTURES_WEIGHT_LIMIT = 2400;

export const DEFAULT_FUTURES_URLS: Readonly<Record<string, string>> = {
  aster: 'https://fapi.asterdex.com',
  binance: 'https://fapi.binance.com',
};

const FUTURES_URL_VARIABLES: Readonly<Record<string, string>> = { aster: 'ASTER_FUTURES_URL', binance: 'BINANCE_FUTURES_URL' };

/** The venue's futures REST base: its variable (`ASTER_FUTURES_URL`, `BINANCE_FUTURES_URL`), else the default. */
export function futuresUrlOf(venue: string, env: NodeJS.ProcessEnv = process.env): string {
  const variable = FUTURES_URL_VARIABLES[venue];
  const configured = variable === undefined ? undefined : env[variable];
  return configured === undefined || configured === '' ? (DEFAULT_FUTURES_URLS[venue] ?? '') : configured;
}

/** The futures symbols a venue lists (`GET /fapi/v1/exchangeInfo`, weight 1). */
export async function fetchFuturesSymbols(venue: string, options: { logger?: Logger; timeoutMs?: number; maxAttempts?: number } = {}): Promise<SymbolInfo[]> {
  const client = new AsterClient({
    baseUrl: futuresUrlOf(venue),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  try {
    return (await fetchExchangeInfo(client, '/fapi/v1/exchangeInfo')).symbols;
  } finally {
    client.close();
  }
}

/**
 * The client of Aster's futures market (`ASTER_FUTURES_URL`): its own weight budget,
 * 429/418 windows and clock offset, apart from the spot client's (aster-accounts.md §3).
 */
export function asterFuturesClient(options: { logger?: Logger; baseUrl?: string } = {}): AsterClient {
  return new AsterClient({
    baseUrl: options.baseUrl ?? futuresUrlOf('aster'),
    baseUrlFrom: { variable: 'ASTER_FUTURES_URL', example: DEFAULT_FUTURES_URLS.aster! },
    timePath: '/fapi/v1/time',
    // The documented futures limit until /fapi/v1/exchangeInfo says otherwise: never spot's larger one.
    weightLimit: FUTURES_WEIGHT_LIMIT,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
