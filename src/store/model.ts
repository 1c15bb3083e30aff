/**
 * @module store/model — what the store remembers, as plain types.
 */
import type { AlertEvent } from '../events/index.js';

/** Per (monitor, subject): what the next check compares against. */
export interface SubjectState {
  monitor: string;
  subject: string;
  /** The value at the last successful check (the next check's previous). */
  value: number;
  /** The previous that check used, or null. */
  previous: number | null;
  armed: boolean;
  checkedAt: number;
}

export type CheckResult = 'ok' | 'error';

/** A monitor's latest result, as persisted when it changes. */
export interface MonitorStatus {
  monitor: string;
  lastRound: number;
  lastCheckedAt: number;
  lastResult: CheckResult;
  lastError: string | null;
}

/** Everything one round changes, written in one transaction. */
export interface RoundCommit {
  roundTime: number;
  checkedAt: number;
  states: SubjectState[];
  statuses: Array<{ monitor: string; result: CheckResult; error: string | null }>;
  events: Array<{ event: AlertEvent; monitor: string; severity: number; sinks: string[] }>;
}

export interface StoredEvent {
  seq: number;
  event: AlertEvent;
}

export interface PendingDelivery {
  seq: number;
  sink: string;
  attempts: number;
  firstFailedAt: number | null;
  event: AlertEvent;
}

export interface OutboxSummary {
  sink: string;
  pending: number;
  dead: number;
  done: number;
  oldestPendingAt: number | null;
}
