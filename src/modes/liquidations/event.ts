/**
 * @module modes/liquidations/event — `asterex.liquidation.condition_met` and
 * `asterex.liquidation_window.condition_met` (liquidations.md §4).
 */
import { buildEvent, changeBetween, finiteOrNull, requireFinite, type AlertEvent, type CheckContext, type EventData } from '../../events/index.js';
import type { Liquidation, LiquidationSide, Venue } from '../../streams/liquidations/liquidation.js';
import { ALL } from './settings.js';

export const LIQUIDATION_EVENT_TYPE = 'asterex.liquidation.condition_met';
export const WINDOW_EVENT_TYPE = 'asterex.liquidation_window.condition_met';

export interface LiquidationEventData extends EventData {
  venue: Venue;
  symbol: string;
  asset: string;
  side: LiquidationSide;
  price: number;
  quantity: number;
  notional_usd: number;
  time: string;
  liquidation_id: string;
}

export interface WindowEventData extends EventData {
  venues: Venue[];
  symbol: string | null;
  window_seconds: number;
  window_start: string;
  window_end: string;
  notional_usd: number;
  previous_notional_usd: number;
  change_percent: number | null;
  count: number;
  long_usd: number;
  short_usd: number;
  largest_usd: number;
}

/** What a rolling window held when its condition was met. */
export interface WindowFigures {
  total: number;
  previous: number;
  count: number;
  longUsd: number;
  shortUsd: number;
  largestUsd: number;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * One liquidation that met a per-liquidation monitor's condition. Its id depends on the
 * monitor and the liquidation alone (the liquidation's time stands for the round), so the
 * same liquidation, received twice or evaluated again after a restart, raises one event.
 */
export function liquidationEvent(context: Omit<CheckContext, 'roundTime' | 'discriminator'>, l: Liquidation): AlertEvent<LiquidationEventData> {
  return buildEvent(
    LIQUIDATION_EVENT_TYPE,
    l.symbol,
    { ...context, roundTime: l.time, discriminator: l.id },
    {
      venue: l.venue,
      symbol: l.symbol,
      asset: l.asset,
      side: l.side,
      price: requireFinite(l.price, 'price'),
      quantity: requireFinite(l.quantity, 'quantity'),
      notional_usd: requireFinite(l.notionalUsd, 'notional_usd'),
      time: new Date(l.time).toISOString(),
      liquidation_id: l.id,
      condition: context.condition,
      monitor: context.monitor,
      severity: context.severity.value,
      severity_label: context.severity.label,
    },
  );
}

/** A rolling window that met its condition; `context.roundTime` is the window's end (its id is (monitor, subject, window end)). */
export function windowEvent(
  context: CheckContext,
  window: { subject: string; venues: readonly Venue[]; seconds: number; figures: WindowFigures },
): AlertEvent<WindowEventData> {
  const f = window.figures;
  const total = cents(requireFinite(f.total, 'notional_usd'));
  const previous = cents(requireFinite(f.previous, 'previous_notional_usd'));
  return buildEvent(WINDOW_EVENT_TYPE, window.subject, context, {
    venues: [...window.venues],
    symbol: window.subject === ALL ? null : window.subject,
    window_seconds: window.seconds,
    window_start: new Date(context.roundTime - window.seconds * 1000).toISOString(),
    window_end: new Date(context.roundTime).toISOString(),
    notional_usd: total,
    previous_notional_usd: previous,
    change_percent: finiteOrNull(f.previous === 0 ? null : changeBetween(f.total, f.previous).percent),
    count: f.count,
    long_usd: cents(f.longUsd),
    short_usd: cents(f.shortUsd),
    largest_usd: cents(f.largestUsd),
    condition: context.condition,
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}
