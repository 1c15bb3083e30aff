/**
 * @module modes/positions/measure — what a positions monitor measures of each open position
 * (aster-accounts.md §5), and how a position is named.
 */
import type { Position } from '../../exchange/index.js';

export const MEASURES = ['liquidation_distance', 'unrealized_pnl', 'roe'] as const;
export type Measure = (typeof MEASURES)[number];

/** `SYMBOL` in one-way mode, `SYMBOL:LONG` / `SYMBOL:SHORT` in hedge mode. */
export function subjectOf(position: Position): string {
  return position.positionSide === 'BOTH' ? position.symbol : `${position.symbol}:${position.positionSide}`;
}

/** Long or short, in words: a hedge-mode side, or the amount's sign in one-way mode. */
export function directionOf(position: Position): 'long' | 'short' {
  if (position.positionSide === 'LONG') return 'long';
  if (position.positionSide === 'SHORT') return 'short';
  return position.positionAmt > 0 ? 'long' : 'short';
}

/** The percentage the mark price may still move against the position, or null without a liquidation price. */
export function liquidationDistance(position: Position): number | null {
  if (position.liquidationPrice === 0) return null;
  return (100 * Math.abs(position.markPrice - position.liquidationPrice)) / position.markPrice;
}

/** Return on the position's margin in %, or null when its margin is 0 (no entry price). */
export function returnOnMargin(position: Position): number | null {
  const margin = (Math.abs(position.positionAmt) * position.entryPrice) / position.leverage;
  if (!(margin > 0)) return null;
  return (100 * position.unRealizedProfit) / margin;
}

/** x of the measure for a position, or null when it is not evaluable; never NaN or Infinity. */
export function measureOf(measure: Measure, position: Position): number | null {
  const x = measure === 'liquidation_distance' ? liquidationDistance(position) : measure === 'roe' ? returnOnMargin(position) : position.unRealizedProfit;
  return x !== null && Number.isFinite(x) ? x : null;
}

/** Why a measure is not evaluable for a position, in words. */
export function notEvaluable(measure: Measure): string {
  return measure === 'liquidation_distance' ? 'it has no liquidation price (0)' : 'its margin is 0 (no entry price)';
}

/** The measure in words, for descriptions: "a position's distance to liquidation (%)". */
export const MEASURE_NOUNS: Readonly<Record<Measure, string>> = {
  liquidation_distance: "a position's distance to liquidation (% the mark price may still move against it)",
  unrealized_pnl: "a position's unrealised profit (USD)",
  roe: "a position's return on margin (%)",
};
