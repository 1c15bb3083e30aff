/**
 * @module cli/amounts — durations (`24h`) and USD amounts (`50k`) as flags give them.
 */
import { UsageError } from './usage-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `24h`, `7d` in ms; throws a UsageError naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (match === null) throw new UsageError(`--${flag} must be a duration such as 30m, 24h or 7d; got ${JSON.stringify(text.slice(0, 40))}`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms <= 0) throw new UsageError(`--${flag} must be longer than 0`);
  return ms;
}

const SUFFIX: Readonly<Record<string, number>> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9 };

/** `950`, `50k`, `1.5M` in USD; throws a UsageError naming the flag. */
export function parseUsd(text: string, flag: string): number {
  const match = /^\$?(\d{1,12}(?:\.\d{1,6})?)([kKMB])?$/.exec(text.trim().replace(/_/g, ''));
  if (match === null) throw new UsageError(`--${flag} must be an amount in USD such as 950, 50k or 1.5M; got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(match[1]) * (match[2] === undefined ? 1 : SUFFIX[match[2]]!);
}
