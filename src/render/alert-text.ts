/**
 * @module render/alert-text — an event as a title and lines of plain text, for the channels
 * that are not Telegram (Discord, Slack, email). The words are the Telegram message's (each
 * mode's own rendering, reminders and resolved notices headed as such), without its HTML, so
 * every channel says the same thing.
 */
import { renderTelegramMessage } from '../delivery/sinks/telegram-message.js';
import { eventKind, type AlertEvent, type EventKind } from '../events/index.js';

export interface AlertText {
  kind: EventKind;
  /** The first line: severity (or RESOLVED, TEST) and the monitor, e.g. "🟠 HIGH · btc-70k". */
  title: string;
  /** The mode's lines: what was measured, and the condition. */
  lines: string[];
  /** The same, in the small HTML subset Telegram uses (b, i, code), for an email's HTML part. */
  html: string;
}

const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** Telegram's HTML as plain text: tags dropped, entities read back. */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]!);
}

/** `render` is the service's Telegram rendering (its modes); by default the built-in modes'. */
export function alertText(event: AlertEvent, render: (event: AlertEvent) => string = renderTelegramMessage): AlertText {
  const html = render(event);
  const [title = '', ...lines] = html.split('\n').map(plainText);
  return { kind: eventKind(event), title, lines, html };
}

/** `text` cut to `max` characters (a channel's limit), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Colours by severity, and for a resolved notice and a test (Discord embeds, Slack attachments). */
export function alertColor(event: AlertEvent): number {
  const kind = eventKind(event);
  if (kind === 'resolved') return 0x57ab5a;
  if (kind === 'test') return 0xb48ead;
  switch (event.data.severity_label) {
    case 'critical':
      return 0xe5534b;
    case 'high':
      return 0xf0883e;
    case 'medium':
      return 0xd4a72c;
    default:
      return 0x539bf5;
  }
}
