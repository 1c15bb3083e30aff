/**
 * @module modes/portfolio/telegram — a portfolio event as a Telegram message.
 */
import type { AlertEvent } from '../../events/index.js';
import { arrow, escapeHtml, formatCompactUsd, signed, standardMessage } from '../../render/telegram-html.js';
import type { PortfolioEventData } from './event.js';

export function renderPortfolioTelegram(event: AlertEvent): string {
  const data = event.data as PortfolioEventData;
  const { values } = data;
  const value = `<b>Portfolio</b> ${formatCompactUsd(values.current_value)}`;
  const lines: string[] = [];
  if (values.previous_value === null || values.change_amount === null) {
    lines.push(value, 'no previous value');
  } else {
    const percent = values.change_percent === null ? '' : `${signed(values.change_percent.toFixed(2), values.change_percent)}% `;
    lines.push(
      `${value}  ${arrow(values.change_amount)}${percent}(${signed(formatCompactUsd(values.change_amount), values.change_amount)})`,
      `was ${formatCompactUsd(values.previous_value)}`,
    );
  }
  if (data.skipped_assets.length > 0) lines.push(`not valued (no USDT pair): ${escapeHtml(data.skipped_assets.join(', '))}`);
  return standardMessage(event, lines);
}
