/**
 * @module delivery/sinks/http-post — one POST, bounded in time and in what is read back.
 *
 * Uses node's fetch (undici): sinks need no retries or interceptors of their own, since
 * the outbox owns retrying. Network errors and timeouts are retryable, named by their real
 * cause (undici wraps it: `TypeError: fetch failed` ← `ECONNREFUSED`). An abort (shutdown)
 * is reported as such: the delivery stays pending, not failed.
 */
import { parseRetryAfter } from '../../net/retry-after.js';
import { DeliveryError } from './sink.js';

export interface PostResult {
  status: number;
  headers: Headers;
  body: string;
}

/** What is read of a receiver's answer: enough to log it, never its whole (possibly endless) body. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** POSTs `body`; resolves with the response, throws a retryable DeliveryError on network failure. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  describeTarget: string,
  signal?: AbortSignal,
): Promise<PostResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal === undefined ? deadline : AbortSignal.any([deadline, signal]);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers, signal: combined, redirect: 'manual' });
  } catch (error) {
    throw failure(error, describeTarget, timeoutMs, signal);
  }
  let text: string;
  try {
    text = await readBounded(response);
  } catch (error) {
    throw failure(error, describeTarget, timeoutMs, signal);
  }
  return { status: response.status, headers: response.headers, body: text };
}

/** The response body up to MAX_ANSWER_BYTES; the rest is not read. */
async function readBounded(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

function failure(error: unknown, target: string, timeoutMs: number, signal: AbortSignal | undefined): DeliveryError {
  if (signal?.aborted === true) return new DeliveryError(`${target}: abandoned at shutdown`, { retryable: true, abandoned: true });
  return new DeliveryError(`${target} unreachable (${causeOf(error, timeoutMs)})`, { retryable: true });
}

/** The real cause: the first error code along the `cause` chain, or the timeout. */
export function causeOf(error: unknown, timeoutMs: number): string {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'network error';
}

/** A short, single-line excerpt of a response body for logs. */
export function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * What an HTTP receiver's answer means for the outbox: success (2xx), a retry (429 with its
 * wait, 408, 5xx), or a permanent refusal — the rules every webhook-style sink keeps. Throws
 * the DeliveryError it means; returns on 2xx. `waitOf` reads a JSON retry hint (ms) from the body.
 */
export function judgeAnswer(response: PostResult, target: string, waitOf: (body: string) => number | undefined = () => undefined): void {
  if (response.status >= 200 && response.status < 300) return;
  const detail = `${target} answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`;
  if (response.status === 429) {
    const wait = waitOf(response.body) ?? parseRetryAfter(response.headers.get('retry-after'));
    throw new DeliveryError(detail, { retryable: true, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
  }
  throw new DeliveryError(detail, { retryable: response.status >= 500 || response.status === 408 });
}
