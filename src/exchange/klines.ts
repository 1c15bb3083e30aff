/**
 * @module exchange/klines — spot candles (`GET /api/v1/klines`, weight 1, at most 1,500 rows a
 * request), decoded field by field: what a replay prices the past with.
 */
import type { AsterClient } from './client.js';
import { Decoder } from './decode.js';

/** One candle: when it opened and closed (ms, inclusive) and its closing price. */
export interface Kline {
  openTime: number;
  close: number;
  closeTime: number;
}

export const KLINES_MAX_LIMIT = 1500;
export const KLINES_WEIGHT = 1;

/** Kline intervals the exchange knows that a replay uses, by length in ms (all aligned to the epoch in UTC). */
export const KLINE_INTERVALS: ReadonlyArray<readonly [string, number]> = [
  ['1m', 60_000],
  ['3m', 180_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['2h', 7_200_000],
  ['4h', 14_400_000],
  ['6h', 21_600_000],
  ['8h', 28_800_000],
  ['12h', 43_200_000],
  ['1d', 86_400_000],
];

/** Up to `limit` candles of `symbol` opening in [startTime, endTime], oldest first. */
export async function fetchKlines(
  client: AsterClient,
  request: { symbol: string; interval: string; startTime: number; endTime: number; limit?: number },
): Promise<Kline[]> {
  const path = '/api/v1/klines';
  const d = new Decoder(path);
  const limit = Math.min(KLINES_MAX_LIMIT, request.limit ?? KLINES_MAX_LIMIT);
  const body = await client.request({
    path,
    params: { symbol: request.symbol, interval: request.interval, startTime: request.startTime, endTime: request.endTime, limit },
    weight: KLINES_WEIGHT,
  });
  const rows = d.array(body, '');
  if (rows.length > limit) d.fail('', `has ${rows.length} rows, more than the ${limit} asked for`);
  let previous = -Infinity;
  return rows.map((raw, i) => {
    const row = d.array(raw, `[${i}]`);
    const openTime = d.integer(row[0], `[${i}][0]`);
    const closeTime = d.integer(row[6], `[${i}][6]`);
    if (openTime <= previous) d.fail(`[${i}][0]`, `is ${openTime}, not after the row before: candles must come oldest first, once each`);
    if (closeTime < openTime) d.fail(`[${i}][6]`, `is ${closeTime}, before the candle's open time ${openTime}`);
    previous = openTime;
    return { openTime, close: d.price(row[4], `[${i}][4]`), closeTime };
  });
}
