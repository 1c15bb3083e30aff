/**
 * @module delivery/sinks/sink — the one interface every alert destination implements.
 *
 * A sink delivers one event and says whether it was accepted. It does not know
 * monitors, the outbox or retries: the outbox decides when to call it again.
 */
import { z } from 'zod';
import { AsterwatchError } from '../../errors.js';
import type { AlertEvent } from '../../events/index.js';
import type { Logger } from '../../log/logger.js';
import { SEVERITY, type SeverityLabel } from '../../condition/index.js';

/** A delivery that did not succeed. `retryable` false means no later attempt can help. */
export class DeliveryError extends AsterwatchError {
  readonly retryable: boolean;
  /** The receiver asked for this wait before the next attempt (429 Retry-After, Telegram retry_after). */
  readonly retryAfterMs: number | undefined;
  /** The delivery was cut short by shutdown: not an attempt, the event stays pending as it was. */
  readonly abandoned: boolean;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; abandoned?: boolean }) {
    super(options.retryable ? 'DELIVERY_RETRYABLE' : 'DELIVERY_PERMANENT', message, { userFacing: false });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.abandoned = options.abandoned ?? false;
  }
}

export interface Sink {
  readonly name: string;
  readonly type: string;
  /** Events below this severity are not sent to this sink. */
  readonly minSeverity: number;
  /** Resolves once the receiver acknowledged the event; throws DeliveryError otherwise. `signal` aborts it (shutdown). */
  deliver(event: AlertEvent, signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

export interface SinkDependencies {
  logger: Logger;
  /** Directory relative paths in the configuration are resolved against. */
  baseDir: string;
  /** Per-delivery timeout for network sinks. */
  timeoutMs: number;
  /** How an event reads as a Telegram message (by the mode that raised it). */
  renderTelegram?: (event: AlertEvent) => string;
}

/** A sink type: its configuration schema and how to build a sink from it. */
export interface SinkType<C extends { type: string }> {
  readonly schema: z.ZodType<C>;
  create(name: string, config: C, deps: SinkDependencies): Sink;
}

/** `min_severity`, common to every sink: a label. */
export const minSeveritySchema = z.enum(['low', 'medium', 'high', 'critical'], { error: 'must be low, medium, high or critical' }).optional();

/** The severity floor of a sink config (0 when unset). */
export function severityFloor(label: SeverityLabel | undefined): number {
  return label === undefined ? 0 : SEVERITY[label].value;
}
