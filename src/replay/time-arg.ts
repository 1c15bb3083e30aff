/**
 * @module replay/time-arg — a TIME on the command line: ISO-8601, epoch ms, `now`, or how long
 * ago (`7d`, `24h`, `30m`, `90s`).
 */
const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The time (ms), or null when `text` is none of the accepted forms. */
export function parseTimeArg(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'now') return now;
  if (/^\d{10,16}$/.test(value)) return Number(value);
  const relative = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value);
  if (relative !== null) return Math.round(now - Number(relative[1]) * UNITS[relative[2]!]!);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : null;
}
