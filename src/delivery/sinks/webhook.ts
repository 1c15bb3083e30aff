/**
 * @module delivery/sinks/webhook — POSTs each event in CloudEvents HTTP structured mode.
 *
 * With a `secret`, each delivery is signed: `X-Asterwatch-Timestamp: <unix seconds>`
 * and `X-Asterwatch-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`,
 * so the receiver can check the sender and refuse replays (old timestamp, seen id).
 * 2xx is success; 429 (Retry-After), 5xx and network errors are retried by the outbox;
 * any other status is a permanent failure, logged with the response.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { excerpt, post } from './http-post.js';
import { DeliveryError, minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  // Optional: `secret: ${ALERT_WEBHOOK_SECRET}` with the variable set but empty means unsigned.
  secret: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, { error: 'must be at least 16 characters (a random string shared with the receiver)' }).optional(),
  ),
  min_severity: minSeveritySchema,
});
export type WebhookSinkConfig = z.infer<typeof schema>;

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSink implements Sink {
  readonly type = 'webhook';
  private readonly target: string;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly secret: string | undefined,
    readonly minSeverity: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // Logs name the host, never the full URL (it may carry a token in its path or query).
    this.target = `webhook ${name} (${new URL(url).host})`;
  }

  async deliver(event: AlertEvent, signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = { 'Content-Type': 'application/cloudevents+json', 'User-Agent': 'asterwatch' };
    if (this.secret !== undefined) {
      const timestamp = Math.floor(this.now() / 1000);
      headers['X-Asterwatch-Timestamp'] = String(timestamp);
      headers['X-Asterwatch-Signature'] = webhookSignature(this.secret, timestamp, body);
    }
    const response = await post(this.url, body, headers, this.timeoutMs, this.target, signal);
    if (response.status >= 200 && response.status < 300) return;
    const detail = `${this.target} answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`;
    if (response.status === 429 || response.status >= 500 || response.status === 408) {
      const wait = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      throw new DeliveryError(detail, { retryable: true, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
    }
    throw new DeliveryError(detail, { retryable: false });
  }
}

export const webhookSinkType: SinkType<WebhookSinkConfig> = {
  schema,
  create: (name, config, deps) => new WebhookSink(name, config.url, config.secret, severityFloor(config.min_severity), deps.timeoutMs),
};
