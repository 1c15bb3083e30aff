/**
 * @module delivery/sinks/telegram-message — an event as a short, readable Telegram message.
 *
 * A rendering of the event, never a different truth: every figure comes from the
 * event's `data`. HTML parse mode; every interpolated text is escaped.
 */
import type { AlertEvent, MarketEventData, PortfolioEventData } from '../../events/index.js';
import { MARKET_EVENT_TYPE } from '../../events/index.js';

const MARKER: Record<string, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

/** Price with precision that fits its size: 64,000.50 · 3.1416 · 0.00001234. */
export function formatPrice(price: number): string {
  const abs = Math.abs(price);
  if (abs >= 1000) return price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (abs >= 1) return price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  if (abs === 0) return '0';
  return price.toLocaleString('en-US', { maximumSignificantDigits: 4, minimumSignificantDigits: 2 });
}

/** Compact USD: $999.99 · $314.9k · $1.2M · $3.4B (sign kept). */
export function formatCompactUsd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) {
    if (abs >= size) return `${sign}$${trimZero((abs / size).toFixed(1))}${unit}`;
  }
  return `${sign}$${abs.toFixed(2)}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function arrow(change: number | null): string {
  if (change === null || change === 0) return '';
  return change > 0 ? '▲ ' : '▼ ';
}

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

/** The message text for one event. */
export function renderTelegramMessage(event: AlertEvent): string {
  const data = event.data;
  const header = `${MARKER[data.severity_label] ?? '⚪'} <b>${data.severity_label.toUpperCase()}</b> · ${escapeHtml(data.monitor)}`;
  const lines = event.type === MARKET_EVENT_TYPE ? marketLines(data as MarketEventData) : portfolioLines(data as PortfolioEventData);
  return [header, ...lines, `<i>condition</i> <code>${escapeHtml(data.condition)}</code>`].join('\n');
}

function marketLines(data: MarketEventData): string[] {
  const price = `<b>${escapeHtml(data.asset)}</b> ${formatPrice(data.current_price)} USDT`;
  if (data.previous_price === null || data.price_change_amount === null) return [price, 'no previous price'];
  const percent = data.price_change === null ? '' : `${signed(data.price_change.toFixed(2), data.price_change)}% `;
  const amount = signed(formatPrice(data.price_change_amount), data.price_change_amount);
  return [`${price}  ${arrow(data.price_change_amount)}${percent}(${amount})`, `was ${formatPrice(data.previous_price)}`];
}

function portfolioLines(data: PortfolioEventData): string[] {
  const { values } = data;
  const value = `<b>Portfolio</b> ${formatCompactUsd(values.current_value)}`;
  const lines: string[] = [];
  if (values.previous_value === null || values.change_amount === null) {
    lines.push(value, 'no previous value');
  } else {
    const percent = values.change_percent === null ? '' : `${signed(values.change_percent.toFixed(2), values.change_percent)}% `;
    lines.push(`${value}  ${arrow(values.change_amount)}${percent}(${signed(formatCompactUsd(values.change_amount), values.change_amount)})`, `was ${formatCompactUsd(values.previous_value)}`);
  }
  if (data.skipped_assets.length > 0) lines.push(`not valued (no USDT pair): ${escapeHtml(data.skipped_assets.join(', '))}`);
  return lines;
}
