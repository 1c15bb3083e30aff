/**
 * @module service/read-model — the narrow view of a running service that the HTTP surface
 * and metrics depend on. Nothing outside the service reaches into its parts.
 */
import type { TestOutcome } from '../delivery/test-sink.js';
import type { SilenceStore } from '../store/index.js';
import type { MonitorConfig } from '../config/index.js';
import type { OutboxEvents } from '../delivery/outbox.js';
import type { WeightStats } from '../exchange/rate-limit.js';
import type { ModeRegistry } from '../modes/registry.js';
import type { RoundOutcome } from '../scheduler/round.js';
import type { StreamDriverEvents } from '../scheduler/stream-driver.js';
import type { EventStore, LiquidationStore, MonitorStatus, OutboxDepth, StoreHealth, SubjectState } from '../store/index.js';
import type { FeedEvents, LiquidationFeed } from '../streams/liquidations/feed.js';
import type { FeedStatus } from '../streams/stream-source.js';

/** What observers can subscribe to. */
/** `reload`: a new configuration is running (its monitors are `monitors` now). */
export type ServiceEvents = { round: [RoundOutcome]; reload: [] } & OutboxEvents & StreamDriverEvents & FeedEvents;

export interface Observable<E extends Record<string, unknown[]>> {
  on<K extends keyof E>(name: K, observer: (...args: E[K]) => void): () => void;
}

/** One monitor's latest check in this process (one object per monitor, updated by each of its rounds). */
export interface MonitorRun {
  roundTime: number;
  checkedAt: number;
  durationMs: number;
  result: 'ok' | 'error';
  error: string | null;
  events: number;
  /** Subjects described in words by their mode at that run (an open position: size and distance to liquidation). */
  details: ReadonlyMap<string, string> | undefined;
}

/** The exchange as this process sees it. */
export interface ExchangeView {
  /** The latest round that read the exchange: null before any. */
  health: { ok: boolean; at: number; error: string | null } | null;
  budget: WeightStats;
  /** Requests sent, by endpoint path. */
  requests: Readonly<Record<string, number>>;
  weightSent: number;
}

export interface ServiceReadModel {
  readonly startedAt: number;
  readonly monitors: readonly MonitorConfig[];
  readonly modes: ModeRegistry;
  readonly hooks: Observable<ServiceEvents>;
  readonly events: EventStore;
  /** The recorded liquidations (empty when no feed ever ran). */
  readonly liquidations: LiquidationStore;
  /** The live liquidation feed, when this service runs one. */
  readonly liquidationFeed: LiquidationFeed | null;
  statesOf(monitor: string): Promise<ReadonlyMap<string, SubjectState>>;
  monitorStatuses(): Promise<ReadonlyMap<string, MonitorStatus>>;
  lastRoundOf(monitor: string): Promise<number | null>;
  /** The monitor's run record itself, which its next round updates: read it at once, or copy it, not across an await. */
  lastRun(monitor: string): MonitorRun | undefined;
  nextRuns(): ReadonlyMap<string, number>;
  outboxDepth(): Promise<OutboxDepth[]>;
  exchange(): ExchangeView;
  feeds(): FeedStatus[];
  storeHealth(): Promise<StoreHealth>;
  schedulerOverruns(): number;
  /** Why the scheduler stopped on its own, or null while it runs (or was stopped on purpose). */
  schedulerFailure(): string | null;
  /** Silences, listed, added and removed over HTTP. */
  readonly silenceStore: SilenceStore;
  /** Re-reads the silences in effect after a change, so routing sees it at once. */
  refreshSilences(): Promise<void>;
  /** The configuration file running, and when it was loaded (ms; a reload changes it). */
  readonly config: { readonly file: string };
  readonly configLoadedAt: number;
  /** Reloads of the configuration, by result. */
  readonly configReloads: Readonly<Record<'success' | 'failure', number>>;
  /** The configured sinks (never their settings: those hold secrets). */
  sinkList(): Array<{ name: string; type: string; minSeverity: number }>;
  /** Sends a test event to one sink now; null for an unknown sink. */
  testSink(name: string): Promise<TestOutcome | null>;
}
