/**
 * @module delivery/sinks/telegram-message — an event as a short, readable Telegram message.
 *
 * Each mode renders its own events (src/modes/<name>/telegram.ts); an event of a mode
 * that has no rendering gets a generic message. Reminders and resolved notices are the
 * mode's message under a heading that says so; a test event says it is a test.
 */
import { eventKind, metTypeOf, type AlertEvent } from '../../events/index.js';
import { MODES, type ModeRegistry } from '../../modes/registry.js';
import { escapeHtml, genericMessage } from '../../render/telegram-html.js';
import { spanInWords } from '../../render/duration.js';

export { formatCompactUsd, formatPrice } from '../../render/telegram-html.js';

/** The message text for one event, rendered by the mode that raised it. */
export function renderTelegramMessage(event: AlertEvent, modes: ModeRegistry = MODES): string {
  const data = event.data as unknown as Record<string, unknown>;
  switch (eventKind(event)) {
    case 'test':
      return [`🧪 <b>TEST</b> · asterwatch`, escapeHtml(typeof data.message === 'string' ? data.message : 'a test alert: this sink is reachable')].join('\n');
    case 'resolved': {
      const asMet = { ...event, type: metTypeOf(event.type) };
      const lines = modeMessage(asMet, modes).split('\n').slice(1); // the mode's lines, under a heading of its own
      const lasted = typeof data.duration_seconds === 'number' ? ` after ${spanInWords(data.duration_seconds)}` : '';
      const since = typeof data.fired_at === 'string' ? ` (fired ${escapeHtml(data.fired_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))})` : '';
      return [`✅ <b>RESOLVED</b> · ${escapeHtml(event.data.monitor)}`, `no longer holds${lasted}${since}`, ...lines].join('\n');
    }
    case 'reminder': {
      const [header, ...lines] = modeMessage(event, modes).split('\n');
      const since = typeof data.firing_since === 'string' ? ` since ${escapeHtml(data.firing_since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}` : '';
      return [`${header} · 🔁 reminder`, `still firing${since}`, ...lines].join('\n');
    }
    default:
      return modeMessage(event, modes);
  }
}

function modeMessage(event: AlertEvent, modes: ModeRegistry): string {
  return modes.modeOf(event)?.renderTelegram?.(event) ?? genericMessage(event);
}
