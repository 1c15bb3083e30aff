/**
 * @module http/liquidation-query — the query parameters of the liquidation routes (liquidations.md §5),
 * each checked, a bad one named: `{"error": "...", "field": "..."}` with status 400.
 */
import { VENUES, type LiquidationSide, type Venue } from '../streams/liquidations/liquidation.js';
import type { LiquidationFilter } from '../store/index.js';

/** A bad parameter: the route answers 400 naming it. */
export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, unknown>;

const DAY = 86_400_000;

/** A time as ISO-8601 or milliseconds since the epoch. */
export function parseTime(raw: unknown, field: string): number {
  if (typeof raw !== 'string' || raw.trim() === '') throw new QueryError(field, `${field} must be an ISO-8601 time or milliseconds since the epoch`);
  const text = raw.trim();
  const ms = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0)
    throw new QueryError(field, `${field} must be an ISO-8601 time or milliseconds since the epoch; got ${JSON.stringify(text.slice(0, 40))}`);
  return ms;
}

/** since/until (defaults: until = now, since = until − 24 h), venue, symbol, side. */
export function parseFilter(query: Query, now: number): LiquidationFilter {
  const until = query.until === undefined ? now : parseTime(query.until, 'until');
  const since = query.since === undefined ? until - DAY : parseTime(query.since, 'since');
  if (since > until) throw new QueryError('since', 'since must not be after until');
  const filter: LiquidationFilter = { since, until };
  if (query.venue !== undefined) {
    if (typeof query.venue !== 'string' || !(VENUES as readonly string[]).includes(query.venue))
      throw new QueryError('venue', `venue must be ${VENUES.join(' or ')}`);
    filter.venue = query.venue as Venue;
  }
  if (query.symbol !== undefined) {
    const symbol = typeof query.symbol === 'string' ? query.symbol.trim().toUpperCase() : '';
    if (!/^[A-Z0-9]{2,30}$/.test(symbol)) throw new QueryError('symbol', 'symbol must be a symbol such as BTCUSDT');
    filter.symbol = symbol;
  }
  if (query.side !== undefined) {
    if (query.side !== 'long' && query.side !== 'short') throw new QueryError('side', 'side must be long or short');
    filter.side = query.side as LiquidationSide;
  }
  return filter;
}

/** A whole number from `min` to `max`, or the default. */
export function parseCount(raw: unknown, field: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d{1,7}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw new QueryError(field, `${field} must be a whole number from ${min} to ${max}`);
  return value;
}

/** A USD amount ≥ 0 (`50000`, `50k`, `1.5M`), or undefined. */
export function parseUsd(raw: unknown, field: string): number | undefined {
  if (raw === undefined) return undefined;
  const match = typeof raw === 'string' ? /^(\d{1,12}(?:\.\d{1,6})?)([kKMB])?$/.exec(raw.trim()) : null;
  if (match === null) throw new QueryError(field, `${field} must be an amount in USD such as 50000 or 50k`);
  return Number(match[1]) * ({ k: 1e3, K: 1e3, M: 1e6, B: 1e9 }[match[2] as 'k'] ?? 1);
}

const INTERVAL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `interval` as seconds or `1m`, `5m`, `15m`, `1h`, `4h`, `1d`, …, from 60 s to 1 d. */
export function parseInterval(raw: unknown): number {
  if (raw === undefined) throw new QueryError('interval', 'interval is required: seconds or 1m, 5m, 15m, 1h, 4h, 1d');
  const match = typeof raw === 'string' ? /^(\d{1,6})([smhd])?$/.exec(raw.trim()) : null;
  const seconds = match === null ? NaN : Number(match[1]) * INTERVAL_UNITS[match[2] ?? 's']!;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 86_400)
    throw new QueryError('interval', 'interval must be from 60 seconds to 1 day: seconds, or 1m, 5m, 15m, 1h, 4h, 1d');
  return seconds;
}

/** A page cursor: a previous page's next_before, or a time (ISO-8601 or ms). */
export function parseBefore(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && /^\d{1,16}:\d{1,16}$/.test(raw.trim())) return raw.trim();
  return String(parseTime(raw, 'before'));
}
