/**
 * @module store/memory/memory-outbox — the outbox of the in-memory store.
 */
import { randomUUID } from 'node:crypto';
import type { AlertEvent } from '../../events/index.js';
import type { Claim, ClaimedDelivery, DeadDelivery, OutboxDepth, OutboxSummary, PendingHead } from '../model.js';
import type { ClaimOptions, OutboxStore } from '../store.js';

export interface MemoryDelivery {
  seq: number;
  sink: string;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  firstFailedAt: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  claimToken: string | null;
  claimedUntil: number | null;
}

/** What the outbox needs of the events it delivers. */
export interface EventLookup {
  event(seq: number): { event: AlertEvent; createdAt: number } | undefined;
}

export class MemoryOutbox implements OutboxStore {
  /** Per sink, in seq order (events are appended in raise order). */
  readonly bySink = new Map<string, MemoryDelivery[]>();

  constructor(private readonly events: EventLookup) {}

  add(seq: number, sink: string, now: number): void {
    let rows = this.bySink.get(sink);
    if (rows === undefined) this.bySink.set(sink, (rows = []));
    rows.push({
      seq,
      sink,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      firstFailedAt: null,
      lastError: null,
      deliveredAt: null,
      claimToken: null,
      claimedUntil: null,
    });
  }

  async claim(sink: string, { limit, leaseMs, now }: ClaimOptions): Promise<Claim> {
    const token = randomUUID();
    const deliveries: ClaimedDelivery[] = [];
    let nextDueAt: number | null = null;
    for (const row of this.bySink.get(sink) ?? []) {
      if (row.status !== 'pending') continue;
      if (deliveries.length >= limit) break;
      const heldUntil = row.claimedUntil !== null && row.claimedUntil >= now ? row.claimedUntil : null;
      if (row.nextAttemptAt > now || heldUntil !== null) {
        if (deliveries.length === 0) nextDueAt = Math.max(row.nextAttemptAt, heldUntil ?? 0);
        break;
      }
      row.claimToken = token;
      row.claimedUntil = now + leaseMs;
      deliveries.push({ seq: row.seq, sink, attempts: row.attempts, firstFailedAt: row.firstFailedAt, event: this.events.event(row.seq)!.event });
    }
    return { token, deliveries, nextDueAt };
  }

  async ack(token: string, seq: number, sink: string, at: number, leaseMs: number): Promise<boolean> {
    const row = this.held(token, seq, sink);
    if (row === undefined) return false;
    Object.assign(row, { status: 'done', deliveredAt: at, attempts: row.attempts + 1, lastError: null, claimToken: null, claimedUntil: null });
    for (const other of this.bySink.get(sink) ?? []) if (other.claimToken === token && other.status === 'pending') other.claimedUntil = at + leaseMs;
    return true;
  }

  async nack(token: string, seq: number, sink: string, failure: { error: string; nextAttemptAt: number; now: number }): Promise<boolean> {
    const row = this.held(token, seq, sink);
    // Refused: nothing changes (not even the rest of the token's claim).
    if (row === undefined) return false;
    Object.assign(row, {
      attempts: row.attempts + 1,
      lastError: failure.error,
      nextAttemptAt: failure.nextAttemptAt,
      firstFailedAt: row.firstFailedAt ?? failure.now,
      claimToken: null,
      claimedUntil: null,
    });
    await this.release(token);
    return true;
  }

  async bury(token: string, seq: number, sink: string, failure: { error: string; now: number }): Promise<boolean> {
    const row = this.held(token, seq, sink);
    if (row === undefined) return false;
    Object.assign(row, {
      status: 'dead',
      attempts: row.attempts + 1,
      lastError: failure.error,
      firstFailedAt: row.firstFailedAt ?? failure.now,
      claimToken: null,
      claimedUntil: null,
    });
    return true;
  }

  async release(token: string): Promise<void> {
    for (const rows of this.bySink.values()) {
      for (const row of rows) {
        if (row.claimToken === token) Object.assign(row, { claimToken: null, claimedUntil: null });
      }
    }
  }

  async settle(sink: string, seqs: readonly number[], at: number): Promise<number> {
    const wanted = new Set(seqs);
    let settled = 0;
    for (const row of this.bySink.get(sink) ?? []) {
      if (!wanted.has(row.seq) || row.status !== 'pending' || (row.claimedUntil !== null && row.claimedUntil >= at)) continue;
      Object.assign(row, { status: 'done', deliveredAt: at, attempts: row.attempts + 1, lastError: null });
      settled++;
    }
    return settled;
  }

  async killPending(sink: string, error: string, now: number): Promise<number> {
    let killed = 0;
    for (const row of this.bySink.get(sink) ?? []) {
      if (row.status !== 'pending') continue;
      Object.assign(row, { status: 'dead', lastError: row.lastError ?? error, firstFailedAt: row.firstFailedAt ?? now, claimToken: null, claimedUntil: null });
      killed++;
    }
    return killed;
  }

  async retryDead(now: number, sink?: string): Promise<number> {
    let moved = 0;
    for (const [name, rows] of this.bySink) {
      if (sink !== undefined && name !== sink) continue;
      for (const row of rows) {
        if (row.status !== 'dead') continue;
        Object.assign(row, { status: 'pending', attempts: 0, firstFailedAt: null, nextAttemptAt: now, claimToken: null, claimedUntil: null });
        moved++;
      }
    }
    return moved;
  }

  async head(sink: string): Promise<PendingHead | null> {
    const row = this.bySink.get(sink)?.find((r) => r.status === 'pending');
    return row === undefined ? null : { seq: row.seq, nextAttemptAt: row.nextAttemptAt, claimedUntil: row.claimedUntil, firstFailedAt: row.firstFailedAt };
  }

  async depth(sinks: readonly string[]): Promise<OutboxDepth[]> {
    return sinks.map((sink) => {
      const rows = this.bySink.get(sink) ?? [];
      return { sink, pending: rows.filter((r) => r.status === 'pending').length, dead: rows.filter((r) => r.status === 'dead').length };
    });
  }

  async retryPendingNow(now: number, sink?: string): Promise<number> {
    let moved = 0;
    for (const [name, rows] of this.bySink) {
      if (sink !== undefined && name !== sink) continue;
      for (const row of rows) {
        if (row.status !== 'pending' || row.nextAttemptAt <= now) continue;
        row.nextAttemptAt = now;
        moved++;
      }
    }
    return moved;
  }

  async summary(): Promise<OutboxSummary[]> {
    return [...this.bySink.keys()].sort().flatMap((sink) => {
      const rows = this.bySink.get(sink)!;
      if (rows.length === 0) return [];
      const count = (status: MemoryDelivery['status']) => rows.filter((r) => r.status === status).length;
      const oldest = rows.filter((r) => r.status === 'pending').map((r) => this.events.event(r.seq)!.createdAt);
      return [{ sink, pending: count('pending'), dead: count('dead'), done: count('done'), oldestPendingAt: oldest.length === 0 ? null : Math.min(...oldest) }];
    });
  }

  async dead(limit = 50, sink?: string): Promise<DeadDelivery[]> {
    const rows = [...this.bySink.values()].flat().filter((r) => r.status === 'dead' && (sink === undefined || r.sink === sink));
    rows.sort((a, b) => b.seq - a.seq || a.sink.localeCompare(b.sink));
    return rows
      .slice(0, limit)
      .map((r) => ({ seq: r.seq, sink: r.sink, id: this.events.event(r.seq)!.event.id, attempts: r.attempts, lastError: r.lastError }));
  }

  /** Removes every delivery of the given events. */
  drop(seqs: ReadonlySet<number>): number {
    let removed = 0;
    for (const [sink, rows] of this.bySink) {
      const kept = rows.filter((r) => !seqs.has(r.seq));
      removed += rows.length - kept.length;
      this.bySink.set(sink, kept);
    }
    return removed;
  }

  /** True when some delivery of the event is still pending. */
  pendingFor(seq: number): boolean {
    for (const rows of this.bySink.values()) if (rows.some((r) => r.seq === seq && r.status === 'pending')) return true;
    return false;
  }

  private held(token: string, seq: number, sink: string): MemoryDelivery | undefined {
    return this.bySink.get(sink)?.find((r) => r.seq === seq && r.claimToken === token && r.status === 'pending');
  }
}
