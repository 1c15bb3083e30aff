/**
 * @module streams/liquidations/liquidation — one forced close of a position, as asterwatch records it.
 */

/** The exchanges whose liquidation stream asterwatch reads (liquidations.md §1). */
export const VENUES = ['aster', 'binance'] as const;
export type Venue = (typeof VENUES)[number];

/** The liquidated position's side: a SELL order closes a long, a BUY order a short. */
export type LiquidationSide = 'long' | 'short';

export interface Liquidation {
  /** Deterministic from the venue and the frame's order fields: a frame received twice is one liquidation. */
  id: string;
  venue: Venue;
  symbol: string;
  asset: string;
  side: LiquidationSide;
  price: number;
  /** The exchange's own decimal string of `price` (`ap`, or `p`), for messages that quote it. */
  priceText: string;
  quantity: number;
  /** price × quantity: every symbol of these markets is quoted in a USD stablecoin. */
  notionalUsd: number;
  /** The trade time, ms. */
  time: number;
}

/** A liquidation as the HTTP API and the stream show it (liquidations.md §5). */
export interface LiquidationItem {
  id: string;
  venue: Venue;
  symbol: string;
  asset: string;
  side: LiquidationSide;
  price: number;
  quantity: number;
  notional_usd: number;
  time: string;
}

export function toItem(l: Liquidation): LiquidationItem {
  return {
    id: l.id,
    venue: l.venue,
    symbol: l.symbol,
    asset: l.asset,
    side: l.side,
    price: l.price,
    quantity: l.quantity,
    notional_usd: l.notionalUsd,
    time: new Date(l.time).toISOString(),
  };
}
