/**
 * @module delivery/sinks/telegram — Bot API `sendMessage`, one message per event.
 *
 * 429 carries `parameters.retry_after` (seconds), which the outbox honours; 5xx and
 * network errors are retried; other refusals (chat not found, bot blocked) are
 * permanent. The bot token is part of the URL, so no URL is ever logged.
 */
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { excerpt, post } from './http-post.js';
import { DeliveryError, minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';
import { renderTelegramMessage } from './telegram-message.js';

export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

const schema = z.strictObject({
  type: z.literal('telegram'),
  bot_token: z.string({ error: 'must be the bot token from @BotFather' }).regex(/^\d+:[\w-]+$/, { error: 'does not look like a bot token (digits:letters)' }),
  chat_id: z.union([z.string().min(1), z.number().int()], { error: 'must be the chat id (a number, or @channelname)' }),
  /** Overridable for tests and self-hosted Bot API servers. */
  api_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  min_severity: minSeveritySchema,
});
export type TelegramSinkConfig = z.infer<typeof schema>;

export class TelegramSink implements Sink {
  readonly type = 'telegram';
  private readonly target: string;

  constructor(
    readonly name: string,
    private readonly apiUrl: string,
    private readonly botToken: string,
    private readonly chatId: string | number,
    readonly minSeverity: number,
    private readonly timeoutMs: number,
    private readonly render: (event: AlertEvent) => string = renderTelegramMessage,
  ) {
    this.target = `telegram ${name}`;
  }

  async deliver(event: AlertEvent, signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify({ chat_id: this.chatId, text: this.render(event), parse_mode: 'HTML', disable_web_page_preview: true });
    const url = `${this.apiUrl.replace(/\/+$/, '')}/bot${this.botToken}/sendMessage`;
    const response = await post(url, body, { 'Content-Type': 'application/json' }, this.timeoutMs, this.target, signal);
    let answer: { ok?: boolean; description?: string; parameters?: { retry_after?: number } } = {};
    try {
      answer = JSON.parse(response.body) as typeof answer;
    } catch {
      // a proxy's HTML page: judged by status below
    }
    if (response.status >= 200 && response.status < 300 && answer.ok !== false) return;
    const detail = `${this.target} answered HTTP ${response.status}: ${answer.description ?? excerpt(response.body)}`.replaceAll(this.botToken, '[token]');
    if (response.status === 429) {
      const seconds = answer.parameters?.retry_after;
      const wait = typeof seconds === 'number' ? seconds * 1000 : parseRetryAfter(response.headers.get('retry-after'));
      throw new DeliveryError(detail, { retryable: true, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
    }
    throw new DeliveryError(detail, { retryable: response.status >= 500 });
  }
}

export const telegramSinkType: SinkType<TelegramSinkConfig> = {
  schema,
  create: (name, config, deps) =>
    new TelegramSink(
      name,
      config.api_url ?? process.env.TELEGRAM_API_URL ?? DEFAULT_TELEGRAM_API_URL,
      config.bot_token,
      config.chat_id,
      severityFloor(config.min_severity),
      deps.timeoutMs,
      deps.renderTelegram,
    ),
};
