/**
 * @module store/liquidations — the recorded liquidation feed: rows, feed gaps, last signs of life.
 *
 * Part of the one Store interface, so every implementation records and answers the same
 * way (the contract suite runs these cases too). Ranges are inclusive: since ≤ time ≤ until.
 * Sums are exact to the cent against a plain sum of the rows (compensated summation).
 */
import type { Liquidation, LiquidationSide, Venue } from '../streams/liquidations/liquidation.js';

/** Which liquidations a question is about. */
export interface LiquidationFilter {
  since: number;
  until: number;
  venue?: Venue;
  symbol?: string;
  side?: LiquidationSide;
}

/** A page of liquidations, newest first; `nextBefore` continues it, null at the end. */
export interface LiquidationPage {
  liquidations: Liquidation[];
  nextBefore: string | null;
}

export interface LiquidationTotals {
  totalUsd: number;
  count: number;
  longUsd: number;
  longCount: number;
  shortUsd: number;
  shortCount: number;
  largest: Liquidation | null;
}

export interface LiquidationBucket {
  start: number;
  totalUsd: number;
  longUsd: number;
  shortUsd: number;
  count: number;
  largestUsd: number;
}

export interface SymbolTotals {
  symbol: string;
  totalUsd: number;
  longUsd: number;
  shortUsd: number;
  count: number;
  largestUsd: number;
}

/** A span in which a venue's feed was not connected. */
export interface StoredGap {
  venue: Venue;
  start: number;
  end: number;
}

export interface LiquidationStore {
  /** Records liquidations, skipping ids already recorded; returns the new ones, in the order given. */
  record(rows: readonly Liquidation[]): Promise<Liquidation[]>;
  /** Newest first (by time, then arrival); `before` is a page's `nextBefore`; `minUsd` keeps those at or above it. */
  list(filter: LiquidationFilter & { minUsd?: number; before?: string; limit: number }): Promise<LiquidationPage>;
  totals(filter: LiquidationFilter): Promise<LiquidationTotals>;
  /** Every bucket of `intervalMs` (aligned to the epoch) from the one holding `since` to the one holding `until`, empty ones included. */
  series(filter: LiquidationFilter, intervalMs: number): Promise<LiquidationBucket[]>;
  /** The `limit` biggest liquidations, by notional descending (ties: first recorded first). */
  largest(filter: LiquidationFilter, limit: number): Promise<Liquidation[]>;
  /** Symbols by total liquidated, descending. */
  leaders(filter: LiquidationFilter, limit: number): Promise<SymbolTotals[]>;
  recordGap(gap: StoredGap): Promise<void>;
  /** Gaps that overlap [since, until] (of one venue, or all), oldest first. */
  gaps(since: number, until: number, venue?: Venue): Promise<StoredGap[]>;
  /** Persists the venue's last sign of life (so a gap caused by kill -9 is bounded). */
  markAlive(venue: Venue, at: number): Promise<void>;
  lastAlive(venue: Venue): Promise<number | null>;
  /** Deletes liquidations and gaps that ended before `before` (cut at the hour); returns how many liquidations. */
  prune(before: number): Promise<number>;
}
