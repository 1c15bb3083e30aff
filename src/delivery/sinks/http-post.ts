/**
 * @module delivery/sinks/http-post — one POST with a timeout, for the network sinks.
 *
 * Uses node's fetch (undici): sinks need no retries or interceptors of their own,
 * since the outbox owns retrying. Network errors and timeouts are retryable.
 */
import { DeliveryError } from './sink.js';

export interface PostResult {
  status: number;
  headers: Headers;
  body: string;
}

/** POSTs `body`; resolves with the response, throws a retryable DeliveryError on network failure. */
export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, describeTarget: string): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    const reason = cause === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause;
    throw new DeliveryError(`${describeTarget} unreachable (${reason})`, { retryable: true });
  }
  const text = await response.text().catch(() => '');
  return { status: response.status, headers: response.headers, body: text };
}

/** A short, single-line excerpt of a response body for logs. */
export function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
