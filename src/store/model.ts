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
  /** Bumped by every write: a commit names the version it read (compare-and-set). */
  version: number;
  /** Where the subject's alert is in its life (monitors with an alert policy); absent or null otherwise. */
  alert?: AlertMemory | null;
}

/** The alert lifecycle's memory of one subject (notify_resolved, repeat_interval, rearm). */
export interface AlertMemory {
  /** When the current firing began (ms), or null when the subject is not firing. */
  firingSince: number | null;
  /** When the last event of the subject was sent (ms), or null: reminders and the cooldown count from here. */
  sentAt: number | null;
  /** The firing's highest severity, which its resolved notice carries (and is routed by). */
  severity: number;
  severityLabel: string;
}

/**
 * A state as a check writes it; the round sets the version (from the one it read). A check
 * may write `version: 0` as a placeholder: objects built with every field up front keep one
 * shape, which matters when a round builds 10,000 of them.
 */
export type StateWrite = Omit<SubjectState, 'version'> & { version?: number };

/**
 * A state as a commit writes it: `version` is the one it will have, the version the
 * writer read plus one (1 for a subject that had no state). It is applied only over
 * `version - 1` (compare-and-set); the write is then the state itself.
 */
export type GuardedStateWrite = SubjectState;

export type CheckResult = 'ok' | 'error';

/** A monitor's latest result, as persisted when it changes. */
export interface MonitorStatus {
  monitor: string;
  lastRound: number;
  lastCheckedAt: number;
  lastResult: CheckResult;
  lastError: string | null;
}

/** An event raised by a check, with the sinks it goes to. */
export interface RaisedEvent {
  event: AlertEvent;
  monitor: string;
  severity: number;
  sinks: string[];
}

/** Everything one round (or one stream batch) changes, written in one transaction. */
export interface RoundCommit {
  roundTime: number;
  checkedAt: number;
  states: GuardedStateWrite[];
  /** Subjects whose state is dropped, each guarded by the version read. */
  forget?: Array<{ monitor: string; subject: string; expectedVersion: number }>;
  /** Read, never changed, by the store: a round whose checks all passed gives its plan's list, the same one each round. */
  statuses: ReadonlyArray<{ monitor: string; result: CheckResult; error: string | null }>;
  events: RaisedEvent[];
}

export interface StoredEvent {
  seq: number;
  event: AlertEvent;
}

export interface EventQuery {
  monitor?: string;
  /** Only events recorded at or after it (ms). */
  since?: number;
  /** Pagination cursor: only events with seq below it. */
  before?: number;
  limit: number;
}

/** A delivery handed to one deliverer until its lease runs out. */
export interface ClaimedDelivery {
  seq: number;
  sink: string;
  attempts: number;
  firstFailedAt: number | null;
  event: AlertEvent;
}

/** The head of a sink's pending deliveries, claimed with a token; empty when nothing is due. */
export interface Claim {
  token: string;
  deliveries: ClaimedDelivery[];
  /** When nothing was claimable: the time the head is next due (ms), or null when nothing is pending. */
  nextDueAt: number | null;
}

/** Where a sink's outbox stands: its oldest pending delivery. */
export interface PendingHead {
  seq: number;
  nextAttemptAt: number;
  /** The end of another deliverer's lease on it, or null. */
  claimedUntil: number | null;
  /** When its first failed attempt was, or null (the dead-letter rule by time reads it). */
  firstFailedAt: number | null;
}

/** A sink's backlog, for metrics. */
export interface OutboxDepth {
  sink: string;
  pending: number;
  dead: number;
}

export interface OutboxSummary {
  sink: string;
  pending: number;
  dead: number;
  done: number;
  oldestPendingAt: number | null;
}

export interface DeadDelivery {
  seq: number;
  sink: string;
  id: string;
  attempts: number;
  lastError: string | null;
}

/** What prune removed. */
export interface PruneResult {
  events: number;
  deliveries: number;
}
