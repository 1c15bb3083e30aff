/**
 * @module delivery/sinks/answer — what an HTTP receiver's answer means for the outbox: success,
 * a retry (429 with its wait, 408, 5xx), or a permanent refusal. Shared by the webhook-style
 * sinks (Discord, Slack) so they keep the same retry rules.
 */
import { parseRetryAfter } from '../../net/retry-after.js';
import { excerpt, type PostResult } from './http-post.js';
import { DeliveryError } from './sink.js';

/** Throws the DeliveryError an answer means; returns on 2xx. `waitOf` reads a JSON retry hint (ms) from the body. */
export function judgeAnswer(response: PostResult, target: string, waitOf: (body: string) => number | undefined = () => undefined): void {
  if (response.status >= 200 && response.status < 300) return;
  const detail = `${target} answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`;
  if (response.status === 429) {
    const wait = waitOf(response.body) ?? parseRetryAfter(response.headers.get('retry-after'));
    throw new DeliveryError(detail, { retryable: true, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
  }
  throw new DeliveryError(detail, { retryable: response.status >= 500 || response.status === 408 });
}
