/**
 * @module exchange/back-off — how long a 429 or a 418 stops every request to the exchange.
 *
 * The exchange's Retry-After is honoured within bounds. Unbounded, one absurd value
 * (999999999 seconds, an HTTP date in 2099, from a misconfigured proxy or a bug) would
 * stop all traffic until a restart. With bounds, the client probes again when the
 * window ends; if the exchange still objects, it says so again and a new window opens.
 */
import { parseRetryAfter } from '../net/retry-after.js';

const MINUTE_MS = 60_000;

/** A 429 without Retry-After: the weight count resets each minute. */
export const RATE_LIMIT_DEFAULT_MS = MINUTE_MS;
/** Longest 429 window: five of the exchange's one-minute weight intervals. */
export const RATE_LIMIT_MAX_MS = 5 * MINUTE_MS;
/** aster-api.md: bans last from 2 minutes up to 3 days. */
export const BAN_MIN_MS = 2 * MINUTE_MS;
export const BAN_MAX_MS = 3 * 24 * 60 * MINUTE_MS;

export interface BackOffWindow {
  ms: number;
  /** What Retry-After asked for, when it was outside the bounds and `ms` is the bound instead. */
  clampedFromMs?: number;
}

/** The window a 429 or 418 (`status`) opens, from its Retry-After header (seconds or an HTTP date). */
export function backOffWindow(header: unknown, status: number, now: number): BackOffWindow {
  const banned = status === 418;
  const asked = parseRetryAfter(header, now);
  if (asked === undefined) return { ms: banned ? BAN_MIN_MS : RATE_LIMIT_DEFAULT_MS };
  const ms = banned ? Math.min(BAN_MAX_MS, Math.max(BAN_MIN_MS, asked)) : Math.min(RATE_LIMIT_MAX_MS, asked);
  return ms === asked ? { ms } : { ms, clampedFromMs: asked };
}
