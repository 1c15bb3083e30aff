/**
 * @module events/format — money and percentage strings for event data (events.md).
 *
 * Formatting happens at the edge: numbers stay unrounded in `values`, strings are
 * rounded to two decimals. A value that rounds to zero is written without a sign.
 */

const usd = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `$1,234,567.89`, or `-$980.10` for a negative amount. */
export function formatUsd(amount: number): string {
  assertFinite(amount, 'amount');
  const text = usd.format(Math.abs(amount));
  return amount < 0 && text !== '0.00' ? `-$${text}` : `$${text}`;
}

/** `+$12,345.00` / `-$980.10`; `$0.00` when it rounds to zero. */
export function formatSignedUsd(amount: number): string {
  assertFinite(amount, 'amount');
  const text = usd.format(Math.abs(amount));
  if (text === '0.00') return '$0.00';
  return amount < 0 ? `-$${text}` : `+$${text}`;
}

/** `+5.23%` / `-3.42%`; `0.00%` when it rounds to zero. */
export function formatSignedPercent(percent: number): string {
  assertFinite(percent, 'percent');
  const text = usd.format(Math.abs(percent));
  if (text === '0.00') return '0.00%';
  return percent < 0 ? `-${text}%` : `+${text}%`;
}

/** Rounds a percentage to 4 decimals as events carry it; -0 becomes 0. */
export function roundPercent(percent: number): number {
  return Math.round(percent * 1e4) / 1e4 + 0;
}

function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`cannot format a non-finite ${what} (${value})`);
}
