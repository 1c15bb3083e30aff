/**
 * @module modes/market/event — `asterex.market.condition_met` (events.md).
 */
import { buildEvent, changeBetween, requireFinite, finiteOrNull, type AlertEvent, type CheckContext, type EventData } from '../../events/index.js';

export const MARKET_EVENT_TYPE = 'asterex.market.condition_met';

export interface MarketEventData extends EventData {
  asset: string;
  symbol: string;
  current_price: number;
  previous_price: number | null;
  price_change: number | null;
  price_change_amount: number | null;
}

/** Builds `asterex.market.condition_met` for one asset. */
export function marketEvent(
  context: CheckContext,
  price: { asset: string; symbol: string; current: number; previous: number | null },
): AlertEvent<MarketEventData> {
  const current = requireFinite(price.current, 'price');
  const previous = finiteOrNull(price.previous);
  const change = changeBetween(current, previous);
  return buildEvent(MARKET_EVENT_TYPE, price.asset, context, {
    asset: price.asset,
    symbol: price.symbol,
    current_price: current,
    previous_price: previous,
    price_change: change.percent,
    price_change_amount: change.amount,
    condition: context.condition,
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}
