/**
 * @module modes/positions/words — a position in words, for Telegram and the dashboard.
 */
import { formatPrice } from '../../render/telegram-html.js';

/** `$58,120` · `$58,120.5` · `$3.1416`: a price as people write it, no trailing cents on round thousands. */
export function usdPrice(price: number): string {
  if (Math.abs(price) >= 1000) return `$${price.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  return `$${formatPrice(price)}`;
}

/**
 * A percentage to one decimal, spaced as the spec writes it: `4.2 %`. Rounded toward zero,
 * so that a distance of 9.96 % under `<< 10` reads 9.9 %, never 10.0 %.
 */
export function percent(value: number): string {
  const truncated = Math.trunc(value * 10) / 10;
  return `${(truncated === 0 ? 0 : truncated).toFixed(1)} %`;
}

/**
 * How far the position is from liquidation, in words: "BTCUSDT long is 4.2 % from
 * liquidation at $58,120"; "… has no liquidation price" when the exchange gives none.
 */
export function distanceSentence(symbol: string, direction: string, markPrice: number, liquidationPrice: number | null): string {
  if (liquidationPrice === null) return `${symbol} ${direction} has no liquidation price`;
  const distance = (100 * Math.abs(markPrice - liquidationPrice)) / markPrice;
  return `${symbol} ${direction} is ${percent(distance)} from liquidation at ${usdPrice(liquidationPrice)}`;
}
