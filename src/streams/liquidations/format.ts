/**
 * @module streams/liquidations/format — a liquidation in one line, as the trackers post it
 * (liquidations.md §4): `🔴 #ETH Long Liquidation: $314.9k @ $4,319.2`.
 */
import type { LiquidationSide } from './liquidation.js';

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** USD, compact: whole dollars under 1,000 (`$950`), then one decimal with k, M or B, a trailing `.0` dropped (`$50k`, `$1.2M`). */
export function compactUsd(amount: number): string {
  const whole = Math.round(amount);
  if (whole < 1000) return `$${whole}`;
  for (let i = 0; i < UNITS.length; i++) {
    const [size, unit] = UNITS[i]!;
    if (amount < size && i < UNITS.length - 1) continue;
    const scaled = Number((amount / size).toFixed(1));
    // 999,960 is "$1M", not "$1000k": rounding may carry into the next unit.
    if (scaled >= 1000 && i > 0) {
      const [biggerSize, biggerUnit] = UNITS[i - 1]!;
      return `$${trim((amount / biggerSize).toFixed(1))}${biggerUnit}`;
    }
    return `$${trim(scaled.toFixed(1))}${unit}`;
  }
  return `$${whole}`;
}

function trim(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** The exchange's decimal string with trailing zeros (and a trailing dot) removed and thousands separated: `64647.00` → `64,647`. */
export function exchangePrice(text: string): string {
  let [integer = '0', fraction = ''] = text.split('.');
  fraction = fraction.replace(/0+$/, '');
  integer = integer.replace(/^0+(?=\d)/, '');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === '' ? grouped : `${grouped}.${fraction}`;
}

/** `{🔴 for long | 🟢 for short} #{asset} {Long|Short} Liquidation: {amount} @ ${price}`. */
export function liquidationLine(l: { side: LiquidationSide; asset: string; notionalUsd: number; priceText: string }): string {
  const marker = l.side === 'long' ? '🔴' : '🟢';
  const side = l.side === 'long' ? 'Long' : 'Short';
  return `${marker} #${l.asset} ${side} Liquidation: ${compactUsd(l.notionalUsd)} @ $${exchangePrice(l.priceText)}`;
}
