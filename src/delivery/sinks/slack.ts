/**
 * @module delivery/sinks/slack — a Slack incoming webhook: one message per event, in blocks
 * (a header, the mode's lines, a context line), with a plain `text` for notifications.
 *
 * Slack answers 200 "ok"; 429 with Retry-After (honoured, capped); 5xx and network errors are
 * retried; 4xx (invalid_payload, no_service, a revoked webhook) are permanent. The webhook URL
 * is a secret: only its host is ever logged.
 */
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { alertText, clip } from '../../render/alert-text.js';
// Slack's mrkdwn reads &, < and > as markup, as Telegram's HTML does.
import { escapeHtml as escape } from '../../render/telegram-html.js';
import { judgeAnswer, post } from './http-post.js';
import { minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({
  type: z.literal('slack'),
  webhook_url: z.url({ protocol: /^https?$/, error: 'must be the incoming-webhook URL Slack gives (https://hooks.slack.com/services/…)' }),
  min_severity: minSeveritySchema,
});
export type SlackSinkConfig = z.infer<typeof schema>;

export class SlackSink implements Sink {
  readonly type = 'slack';
  private readonly target: string;

  constructor(
    readonly name: string,
    private readonly url: string,
    readonly minSeverity: number,
    private readonly timeoutMs: number,
    private readonly render?: (event: AlertEvent) => string,
  ) {
    this.target = `slack ${name} (${new URL(url).host})`;
  }

  /** The message Slack is sent for `event` (within Slack's limits: a header of 150 characters, a section of 3,000). */
  message(event: AlertEvent): Record<string, unknown> {
    const text = alertText(event, this.render);
    return {
      text: clip(`${text.title}: ${text.lines[0] ?? event.subject}`, 3000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: clip(text.title, 150), emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: clip(escape(text.lines.join('\n')), 3000) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: clip(escape(`${event.subject} · ${event.type} · ${event.time} · id ${event.id}`), 3000) }] },
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
    judgeAnswer(response, this.target);
  }
}

export const slackSinkType: SinkType<SlackSinkConfig> = {
  schema,
  create: (name, config, deps) => new SlackSink(name, config.webhook_url, severityFloor(config.min_severity), deps.timeoutMs, deps.renderTelegram),
};
