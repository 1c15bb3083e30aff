/**
 * @module net/retry-after — the HTTP Retry-After header (seconds or an HTTP date), in ms.
 */

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  const text = String(header).trim();
  const seconds = Number(text);
  // A number is only ever a number of seconds (V8 would read "-3" as a date, the year -3).
  if (text !== '' && Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
