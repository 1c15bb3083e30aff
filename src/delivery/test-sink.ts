/**
 * @module delivery/test-sink — one test event sent to one sink now, once, outside the outbox,
 * and what the receiver answered: for `asterwatch test-sink` and `POST /api/sinks/:name/test`.
 */
import { testEvent } from '../events/test-event.js';
import type { Sink } from './sinks/sink.js';

export interface TestOutcome {
  sink: string;
  type: string;
  delivered: boolean;
  /** Why not (the receiver's refusal, or why it could not be reached); null when delivered. */
  error: string | null;
  /** Whether trying again could help (a refusal such as a bad token will not). */
  retryable: boolean | null;
  eventId: string;
  ms: number;
}

export async function sendTestEvent(sink: Sink, now: () => number = Date.now, signal?: AbortSignal): Promise<TestOutcome> {
  const event = testEvent(sink.name, now());
  const started = now();
  try {
    await sink.deliver(event, signal);
    return { sink: sink.name, type: sink.type, delivered: true, error: null, retryable: null, eventId: event.id, ms: now() - started };
  } catch (error) {
    const retryable = (error as { retryable?: unknown }).retryable;
    return {
      sink: sink.name,
      type: sink.type,
      delivered: false,
      error: error instanceof Error ? error.message : String(error),
      retryable: typeof retryable === 'boolean' ? retryable : null,
      eventId: event.id,
      ms: now() - started,
    };
  }
}
