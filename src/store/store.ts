/**
 * @module store/store — the one interface to what asterwatch remembers.
 *
 * Everything that reads or writes state, events or the outbox goes through `Store`;
 * nothing outside `src/store/` knows which database is behind it. Two implementations
 * pass the same contract suite (test/contract/store.contract.test.ts): SQLite (the
 * default, durable) and in-memory (replay, tests). A server store (PostgreSQL, for
 * several machines) is a third implementation of the same interface.
 *
 * Two writers may share a store (a `check` beside `run`, two machines):
 * - a round commit names the version of every state it read and is refused, whole,
 *   when any of them changed since (compare-and-set), so a once-alert never fires twice;
 * - a deliverer claims the head of a sink's outbox with a lease and a token; ack, nack
 *   and bury must present the token, and an expired lease makes the rows claimable again,
 *   so two deliverers never send the same row at once.
 */
import type { LiquidationStore } from './liquidations.js';
import type { ReadingStore } from './readings.js';
import type { SilenceStore } from './silences.js';
import type {
  Claim,
  DeadDelivery,
  EventQuery,
  MonitorStatus,
  OutboxDepth,
  OutboxSummary,
  PendingHead,
  PruneResult,
  RoundCommit,
  StoredEvent,
  SubjectState,
} from './model.js';

/** Raised events, read back for the API, the dashboard and live streams. */
export interface EventStore {
  /** Newest first. */
  recent(query: EventQuery): Promise<StoredEvent[]>;
  /** Events after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest seq ever assigned (pruning never lowers it), 0 when no event was ever recorded. */
  lastSeq(): Promise<number>;
  count(): Promise<number>;
}

export interface ClaimOptions {
  /** At most this many deliveries. */
  limit: number;
  /** How long the claim holds the rows unless acknowledged or extended (ms). */
  leaseMs: number;
  now: number;
}

/** The outbox: every raised event's delivery to each of its sinks, in order. */
export interface OutboxStore {
  /**
   * Claims the due head of a sink's pending deliveries, in raise order: the consecutive
   * rows from the oldest pending one that are due and not under another valid lease.
   * Nothing when the head is not due or is held by another deliverer (order is kept).
   */
  claim(sink: string, options: ClaimOptions): Promise<Claim>;
  /** Marks a claimed delivery done and extends the claim's lease on the rest; false when the token no longer holds it. */
  ack(token: string, seq: number, sink: string, at: number, leaseMs: number): Promise<boolean>;
  /** A retryable failure: the delivery waits until `nextAttemptAt`; the claim ends. False when refused (then nothing changes). */
  nack(token: string, seq: number, sink: string, failure: { error: string; nextAttemptAt: number; now: number }): Promise<boolean>;
  /** A permanent failure: the delivery moves to dead. False when refused. */
  bury(token: string, seq: number, sink: string, failure: { error: string; now: number }): Promise<boolean>;
  /** Gives back every row the claim still holds. */
  release(token: string): Promise<void>;
  /**
   * Marks deliveries done that the caller has handed over itself (`check` prints its
   * events: that is their stdout delivery), unless another deliverer holds them.
   */
  settle(sink: string, seqs: readonly number[], at: number): Promise<number>;
  /** Moves every pending delivery of a sink to dead (the sink has been failing too long). */
  killPending(sink: string, error: string, now: number): Promise<number>;
  /** Dead deliveries back to pending (all sinks, or one); returns how many. */
  retryDead(now: number, sink?: string): Promise<number>;
  /** Pending deliveries waiting for a later attempt made due now (all sinks, or one); returns how many. */
  retryPendingNow(now: number, sink?: string): Promise<number>;
  /** The oldest pending delivery of a sink (due or not, claimed or not), or null when none is pending. */
  head(sink: string): Promise<PendingHead | null>;
  /** Pending, dead and done counts per sink. */
  summary(): Promise<OutboxSummary[]>;
  /**
   * Pending and dead counts of the given sinks, cheap enough for every metrics scrape
   * (an index range per sink and status, never a scan of every delivery ever made).
   */
  depth(sinks: readonly string[]): Promise<OutboxDepth[]>;
  /** Dead deliveries with their last error, newest first. */
  dead(limit?: number, sink?: string): Promise<DeadDelivery[]>;
}

export interface StoreHealth {
  ok: boolean;
  error: string | null;
}

export interface Store {
  /** Where the store lives, for messages (a file path, `:memory:`); never a secret. */
  readonly location: string;
  /** Every subject's state of each monitor, by monitor then subject. Like statesOf, a snapshot: later commits do not change it. */
  statesOfMany(monitors: readonly string[]): Promise<Map<string, ReadonlyMap<string, SubjectState>>>;
  /**
   * statesOfMany's maps as a list in the order of `monitors` (an empty map for a monitor with
   * none): what a round reads, without a map by name it would only index by position.
   */
  statesInOrder(monitors: readonly string[]): Promise<Array<ReadonlyMap<string, SubjectState>>>;
  /** One monitor's states, as read now: a later commit does not change a map already returned (a round computes from what it read). */
  statesOf(monitor: string): Promise<ReadonlyMap<string, SubjectState>>;
  /** Each monitor's latest persisted result (a snapshot, like statesOf). */
  monitorStatuses(): Promise<ReadonlyMap<string, MonitorStatus>>;
  /** The latest round a monitor completed, or null. */
  lastRoundOf(monitor: string): Promise<number | null>;
  /**
   * Writes a round's states, statuses, events and deliveries atomically; returns the
   * events that are new (an id that exists comes from a re-run round and is skipped; an id
   * raised twice in one commit is recorded once).
   * Throws StaleStateError, writing nothing, when a state changed since it was read.
   */
  commit(round: RoundCommit): Promise<StoredEvent[]>;
  readonly events: EventStore;
  readonly outbox: OutboxStore;
  /** The recorded liquidation feed (its own retention: `liquidations.prune`). */
  readonly liquidations: LiquidationStore;
  /** Values the service read, kept as later baselines (its own retention: `readings.prune`). */
  readonly readings: ReadingStore;
  /** Silences: events recorded but not delivered (their own retention: `silences.prune`). */
  readonly silences: SilenceStore;
  /**
   * Deletes events recorded before `before` whose deliveries are all settled (done or
   * dead), with those deliveries. A pending delivery and its event are never pruned.
   */
  prune(before: number): Promise<PruneResult>;
  /** Drops the state and status of every monitor not named (monitors removed from the configuration); returns how many monitors. */
  forgetMonitorsExcept(monitors: readonly string[]): Promise<number>;
  /** Whether a write can succeed now (readiness). */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
