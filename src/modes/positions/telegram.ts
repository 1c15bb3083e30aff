/**
 * @module modes/positions/telegram — a positions event as a Telegram message: the symbol, the
 * side and the distance to liquidation in words lead (the line a notification shows), then the
 * severity and monitor, the position, and what the condition measured.
 */
import type { AlertEvent } from '../../events/index.js';
import { escapeHtml, formatCompactUsd, severityMarker, signed } from '../../render/telegram-html.js';
import type { PositionsEventData } from './event.js';
import { distanceSentence, percent, usdPrice } from './words.js';

export function renderPositionsTelegram(event: AlertEvent): string {
  const data = event.data as PositionsEventData;
  const direction = data.position_side === 'LONG' ? 'long' : data.position_side === 'SHORT' ? 'short' : data.position_amount > 0 ? 'long' : 'short';
  const lead = escapeHtml(distanceSentence(data.symbol, direction, data.mark_price, data.liquidation_price));
  const position = `mark ${usdPrice(data.mark_price)} · entry ${usdPrice(data.entry_price)} · ${Math.abs(data.position_amount)} at ${data.leverage}x ${data.margin_type}`;
  return [
    `${severityMarker(data.severity_label)} <b>${lead}</b>`,
    `<b>${data.severity_label.toUpperCase()}</b> · ${escapeHtml(data.monitor)}`,
    escapeHtml(position),
    escapeHtml(measured(data)),
    `<i>condition</i> <code>${escapeHtml(data.condition)}</code>`,
  ].join('\n');
}

function measured(data: PositionsEventData): string {
  const was = (text: string | null) => (text === null ? '' : ` (was ${text})`);
  const previous = data.previous_value;
  switch (data.measure) {
    case 'liquidation_distance':
      return `distance to liquidation ${percent(data.value)}${was(previous === null ? null : percent(previous))}`;
    case 'roe':
      return `return on margin ${signed(percent(data.value), data.value)}${was(previous === null ? null : signed(percent(previous), previous))}`;
    default:
      return `unrealised PnL ${signed(formatCompactUsd(data.value), data.value)}${was(previous === null ? null : signed(formatCompactUsd(previous), previous))}`;
  }
}
