/**
 * @module delivery/sinks/telegram-message — an event as a short, readable Telegram message.
 *
 * Each mode renders its own events (src/modes/<name>/telegram.ts); an event of a mode
 * that has no rendering gets a generic message.
 */
import type { AlertEvent } from '../../events/index.js';
import { MODES, type ModeRegistry } from '../../modes/registry.js';
import { genericMessage } from '../../render/telegram-html.js';

export { formatCompactUsd, formatPrice } from '../../render/telegram-html.js';

/** The message text for one event, rendered by the mode that raised it. */
export function renderTelegramMessage(event: AlertEvent, modes: ModeRegistry = MODES): string {
  return modes.modeOf(event)?.renderTelegram?.(event) ?? genericMessage(event);
}
