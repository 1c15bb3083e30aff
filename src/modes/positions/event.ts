/**
 * @module modes/positions/event — `asterex.positions.condition_met` (aster-accounts.md §5).
 */
import { buildEvent, finiteOrNull, requireFinite, type AlertEvent, type CheckContext, type EventData } from '../../events/index.js';
import type { Position } from '../../exchange/index.js';
import type { Measure } from './measure.js';

export const POSITIONS_EVENT_TYPE = 'asterex.positions.condition_met';

export interface PositionsEventData extends EventData {
  symbol: string;
  /** The exchange's `positionSide`: BOTH (one-way mode), LONG or SHORT (hedge mode). */
  position_side: string;
  /** Negative for a short. */
  position_amount: number;
  entry_price: number;
  mark_price: number;
  /** Null when the position has no liquidation price (the exchange's 0). */
  liquidation_price: number | null;
  unrealized_pnl: number;
  leverage: number;
  margin_type: string;
  measure: Measure;
  /** x: what the condition measured. */
  value: number;
  previous_value: number | null;
}

/** Builds `asterex.positions.condition_met` for one position. */
export function positionsEvent(
  context: CheckContext,
  subject: string,
  position: Position,
  measured: { measure: Measure; value: number; previous: number | null },
): AlertEvent<PositionsEventData> {
  return buildEvent(POSITIONS_EVENT_TYPE, subject, context, {
    symbol: position.symbol,
    position_side: position.positionSide,
    position_amount: requireFinite(position.positionAmt, 'position amount'),
    entry_price: requireFinite(position.entryPrice, 'entry price'),
    mark_price: requireFinite(position.markPrice, 'mark price'),
    liquidation_price: position.liquidationPrice === 0 ? null : requireFinite(position.liquidationPrice, 'liquidation price'),
    unrealized_pnl: requireFinite(position.unRealizedProfit, 'unrealized PnL'),
    leverage: requireFinite(position.leverage, 'leverage'),
    margin_type: position.marginType,
    measure: measured.measure,
    value: requireFinite(measured.value, 'measured value'),
    previous_value: finiteOrNull(measured.previous),
    condition: context.condition,
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}
