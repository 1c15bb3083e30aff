/**
 * @module delivery/sinks/discord — a Discord webhook: one message per event, an embed coloured
 * by severity (green when resolved), with the mode's own words.
 *
 * 429 carries `retry_after` (seconds) in its JSON and a Retry-After header; the outbox honours
 * it (capped). 5xx and network errors are retried, other refusals (a deleted webhook) are
 * permanent. The webhook URL holds its token: it is never logged, only its host.
 */
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { alertColor, alertText, clip } from '../../render/alert-text.js';
import { judgeAnswer, post } from './http-post.js';
import { minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({
  type: z.literal('discord'),
  webhook_url: z.url({ protocol: /^https?$/, error: 'must be the webhook URL Discord gives (https://discord.com/api/webhooks/…)' }),
  /** The name the messages are posted under (default: the webhook's own). */
  username: z.string().min(1).max(80, { error: 'must be at most 80 characters' }).optional(),
  min_severity: minSeveritySchema,
});
export type DiscordSinkConfig = z.infer<typeof schema>;

export class DiscordSink implements Sink {
  readonly type = 'discord';
  private readonly target: string;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly username: string | undefined,
    readonly minSeverity: number,
    private readonly timeoutMs: number,
    private readonly render?: (event: AlertEvent) => string,
  ) {
    this.target = `discord ${name} (${new URL(url).host})`;
  }

  /** The message Discord is sent for `event` (within Discord's limits: a title of 256 characters, a description of 4,096). */
  message(event: AlertEvent): Record<string, unknown> {
    const text = alertText(event, this.render);
    return {
      ...(this.username === undefined ? {} : { username: this.username }),
      // Nothing in an alert may ping anyone (a monitor named "@everyone").
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: clip(text.title, 256),
          description: clip(text.lines.join('\n'), 4096),
          color: alertColor(event),
          timestamp: event.time,
          fields: [
            { name: 'subject', value: clip(event.subject, 1024), inline: true },
            { name: 'type', value: clip(event.type, 1024), inline: true },
          ],
          footer: { text: clip(`asterwatch · ${event.id}`, 2048) },
        },
      ],
    };
  }

  async deliver(event: AlertEvent, signal?: AbortSignal): Promise<void> {
    const response = await post(
      this.url,
      JSON.stringify(this.message(event)),
      { 'Content-Type': 'application/json', 'User-Agent': 'asterwatch' },
      this.timeoutMs,
      this.target,
      signal,
    );
    judgeAnswer(response, this.target, (body) => {
      try {
        const seconds = (JSON.parse(body) as { retry_after?: unknown }).retry_after;
        return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
      } catch {
        return undefined;
      }
    });
  }
}

export const discordSinkType: SinkType<DiscordSinkConfig> = {
  schema,
  create: (name, config, deps) =>
    new DiscordSink(name, config.webhook_url, config.username, severityFloor(config.min_severity), deps.timeoutMs, deps.renderTelegram),
};
