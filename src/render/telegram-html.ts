/**
 * @module render/telegram-html — the pieces every Telegram message is made of (HTML parse mode).
 *
 * A message is a rendering of its event, never a different truth: every figure comes
 * from the event's `data`, and every interpolated text is escaped.
 */
import type { AlertEvent } from '../events/index.js';

const MARKER: Readonly<Record<string, string>> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

/** Escapes the three characters Telegram's HTML mode reads as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) return `${sign}$${trimZero((abs / size).toFixed(1))}${unit}`;
  }
  return `${sign}$${abs.toFixed(2)}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** ▲ for a rise, ▼ for a fall, nothing for no change. */
export function arrow(change: number | null): string {
  if (change === null || change === 0) return '';
  return change > 0 ? '▲ ' : '▼ ';
}

/** `text` with a + in front when `value` is positive (negative numbers carry their own sign). */
export function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

/** The coloured dot of a severity label (⚪ for an unknown one). */
export function severityMarker(label: string): string {
  return MARKER[label] ?? '⚪';
}

/**
 * The usual message: severity marker and monitor, the mode's lines, then the condition.
 * `lines` are HTML already (the mode escapes what it interpolates).
 */
export function standardMessage(event: AlertEvent, lines: readonly string[]): string {
  const data = event.data;
  const header = `${MARKER[data.severity_label] ?? '⚪'} <b>${data.severity_label.toUpperCase()}</b> · ${escapeHtml(data.monitor)}`;
  return [header, ...lines, `<i>condition</i> <code>${escapeHtml(data.condition)}</code>`].join('\n');
}

/** A message for an event of a mode with no rendering of its own: its subject and type. */
export function genericMessage(event: AlertEvent): string {
  return standardMessage(event, [`<b>${escapeHtml(event.subject)}</b> ${escapeHtml(event.type)}`]);
}
