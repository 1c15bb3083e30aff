/**
 * @module store/memory/memory-store — a store held in memory: for replay and tests.
 *
 * Same contract as the SQLite store (test/contract/store.contract.test.ts), nothing
 * durable. Each method completes synchronously before its promise resolves, so a
 * commit is atomic with respect to every other call.
 */
import type { AlertEvent } from '../../events/index.js';
import { StaleStateError, StoreError } from '../errors.js';
import type { EventQuery, MonitorStatus, PruneResult, RoundCommit, StoredEvent, SubjectState } from '../model.js';
import type { EventStore, Store, StoreHealth } from '../store.js';
import { MemoryLiquidations } from './memory-liquidations.js';
import { MemoryOutbox } from './memory-outbox.js';
import { MemoryReadings } from './memory-readings.js';
import { MemorySilences } from './memory-silences.js';

const EMPTY: ReadonlyMap<string, SubjectState> = new Map();

interface EventRow {
  seq: number;
  event: AlertEvent;
  monitor: string;
  createdAt: number;
}

export class MemoryStore implements Store {
  readonly location = ':memory:';
  readonly events: EventStore;
  readonly outbox: MemoryOutbox;
  readonly liquidations = new MemoryLiquidations();
  readonly readings = new MemoryReadings();
  readonly silences = new MemorySilences();
  private readonly states = new Map<string, Map<string, SubjectState>>();
  private readonly statuses = new Map<string, MonitorStatus>();
  private readonly rows: EventRow[] = [];
  private readonly bySeq = new Map<number, EventRow>();
  private readonly ids = new Set<string>();
  private lastSeq = 0;
  private closed = false;

  constructor() {
    this.outbox = new MemoryOutbox({ event: (seq) => this.bySeq.get(seq) });
    this.events = {
      recent: async (query: EventQuery) => this.recent(query),
      after: async (seq: number, limit: number) =>
        this.rows
          .filter((r) => r.seq > seq)
          .slice(0, limit)
          .map(stored),
      lastSeq: async () => this.lastSeq,
      count: async () => this.rows.length,
    };
  }

  async statesOf(monitor: string): Promise<ReadonlyMap<string, SubjectState>> {
    return this.copyOf(monitor);
  }

  async statesOfMany(monitors: readonly string[]): Promise<Map<string, ReadonlyMap<string, SubjectState>>> {
    return new Map(monitors.map((m) => [m, this.copyOf(m)] as const));
  }

  async statesInOrder(monitors: readonly string[]): Promise<Array<ReadonlyMap<string, SubjectState>>> {
    return monitors.map((m) => this.copyOf(m));
  }

  async monitorStatuses(): Promise<ReadonlyMap<string, MonitorStatus>> {
    return new Map(this.statuses);
  }

  async lastRoundOf(monitor: string): Promise<number | null> {
    let latest = this.statuses.get(monitor)?.lastRound ?? null;
    for (const state of this.states.get(monitor)?.values() ?? []) {
      if (latest === null || state.checkedAt > latest) latest = state.checkedAt;
    }
    return latest;
  }

  async commit(round: RoundCommit): Promise<StoredEvent[]> {
    // Every guard first, so a refused commit changes nothing.
    const versionOf = (w: { monitor: string; subject: string }) => this.states.get(w.monitor)?.get(w.subject)?.version ?? 0;
    const stale = [...round.states.filter((w) => versionOf(w) !== w.version - 1), ...(round.forget ?? []).filter((g) => versionOf(g) !== g.expectedVersion)];
    if (stale.length > 0) throw new StaleStateError(stale.map(({ monitor, subject }) => ({ monitor, subject })));
    for (const raised of round.events) {
      // As the SQLite primary key (event, sink) would: one delivery per sink.
      if (new Set(raised.sinks).size !== raised.sinks.length)
        throw new StoreError('STORE_WRITE', `event ${raised.event.id} lists a sink twice; nothing was written`);
    }

    for (const w of round.states) {
      let states = this.states.get(w.monitor);
      if (states === undefined) this.states.set(w.monitor, (states = new Map()));
      const state: SubjectState = {
        monitor: w.monitor,
        subject: w.subject,
        value: w.value,
        previous: w.previous,
        armed: w.armed,
        checkedAt: w.checkedAt,
        version: w.version,
      };
      if (w.alert !== undefined && w.alert !== null) state.alert = w.alert;
      states.set(w.subject, state);
    }
    for (const gone of round.forget ?? []) this.states.get(gone.monitor)?.delete(gone.subject);
    for (const status of round.statuses) {
      const before = this.statuses.get(status.monitor);
      if (before !== undefined && before.lastResult === status.result && before.lastError === status.error) continue;
      this.statuses.set(status.monitor, {
        monitor: status.monitor,
        lastRound: round.roundTime,
        lastCheckedAt: round.checkedAt,
        lastResult: status.result,
        lastError: status.error,
      });
    }
    const added: StoredEvent[] = [];
    for (const raised of round.events) {
      if (this.ids.has(raised.event.id)) continue;
      this.ids.add(raised.event.id);
      const row = { seq: ++this.lastSeq, event: raised.event, monitor: raised.monitor, createdAt: round.checkedAt };
      this.rows.push(row);
      this.bySeq.set(row.seq, row);
      for (const sink of raised.sinks) this.outbox.add(row.seq, sink, round.checkedAt);
      added.push(stored(row));
    }
    return added;
  }

  async prune(before: number): Promise<PruneResult> {
    const old = new Set(this.rows.filter((r) => r.createdAt < before && !this.outbox.pendingFor(r.seq)).map((r) => r.seq));
    const deliveries = this.outbox.drop(old);
    for (const seq of old) {
      const row = this.bySeq.get(seq)!;
      this.bySeq.delete(seq);
      this.ids.delete(row.event.id);
    }
    const kept = this.rows.filter((r) => !old.has(r.seq));
    this.rows.length = 0;
    this.rows.push(...kept);
    return { events: old.size, deliveries };
  }

  async forgetMonitorsExcept(monitors: readonly string[]): Promise<number> {
    const keep = new Set(monitors);
    const gone = new Set([...this.states.keys(), ...this.statuses.keys()].filter((m) => !keep.has(m)));
    for (const monitor of gone) {
      this.states.delete(monitor);
      this.statuses.delete(monitor);
    }
    return gone.size;
  }

  async health(): Promise<StoreHealth> {
    return this.closed ? { ok: false, error: 'the store is closed' } : { ok: true, error: null };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A snapshot: later commits do not change what a round already read. */
  private copyOf(monitor: string): ReadonlyMap<string, SubjectState> {
    const states = this.states.get(monitor);
    return states === undefined ? EMPTY : new Map(states);
  }

  private recent(query: EventQuery): StoredEvent[] {
    const found: StoredEvent[] = [];
    for (let i = this.rows.length - 1; i >= 0 && found.length < query.limit; i--) {
      const row = this.rows[i]!;
      if (query.monitor !== undefined && row.monitor !== query.monitor) continue;
      if (query.since !== undefined && row.createdAt < query.since) continue;
      if (query.before !== undefined && row.seq >= query.before) continue;
      found.push(stored(row));
    }
    return found;
  }
}

function stored(row: EventRow): StoredEvent {
  return { seq: row.seq, event: row.event };
}
