/**
 * @module modes/market/telegram — a market event as a Telegram message.
 */
import type { AlertEvent } from '../../events/index.js';
import { arrow, escapeHtml, formatPrice, signed, standardMessage } from '../../render/telegram-html.js';
import type { MarketEventData } from './event.js';

export function renderMarketTelegram(event: AlertEvent): string {
  const data = event.data as MarketEventData;
  const price = `<b>${escapeHtml(data.asset)}</b> ${formatPrice(data.current_price)} USDT`;
  if (data.previous_price === null || data.price_change_amount === null) return standardMessage(event, [price, 'no previous price']);
  const percent = data.price_change === null ? '' : `${signed(data.price_change.toFixed(2), data.price_change)}% `;
  const amount = signed(formatPrice(data.price_change_amount), data.price_change_amount);
  return standardMessage(event, [`${price}  ${arrow(data.price_change_amount)}${percent}(${amount})`, `was ${formatPrice(data.previous_price)}`]);
}
