/**
 * @module store/sqlite/outbox — deliveries per sink, claimed by one deliverer at a time.
 *
 * A claim takes the consecutive due rows at the head of a sink's pending deliveries in
 * an IMMEDIATE transaction (so two processes never claim the same rows) and stamps them
 * with a random token and a lease. Acknowledgements and claims are written without
 * waiting for fsync: losing one to a power cut means a re-delivery (receivers dedupe by
 * id) or a re-claim, never a lost event; round commits keep full durability.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AlertEvent } from '../../events/index.js';
import type { Claim, ClaimedDelivery, DeadDelivery, OutboxDepth, OutboxSummary, PendingHead } from '../model.js';
import type { ClaimOptions, OutboxStore } from '../store.js';
import { relaxed, type Db } from './open.js';

export class SqliteOutbox implements OutboxStore {
  private readonly selectHead: Database.Statement<[string, number], HeadRow>;
  private readonly stamp: Database.Statement<[string, number, string, number, number]>;
  private readonly updateDone: Database.Statement<[number, number, string, string]>;
  private readonly extendLease: Database.Statement<[number, string]>;
  private readonly updateFailed: Database.Statement<[string, number, number, number, string, string]>;
  private readonly updateDead: Database.Statement<[string, number, number, string, string]>;
  private readonly releaseToken: Database.Statement<[string]>;
  private readonly countByStatus: Database.Statement<[string, string], { n: number }>;
  private readonly claimTransaction: (sink: string, options: ClaimOptions) => Claim;

  constructor(private readonly db: Db) {
    this.selectHead = db.prepare(`SELECT d.event_seq AS seq, d.attempts, d.first_failed_at, d.next_attempt_at, d.claimed_until, e.body
      FROM deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.sink = ? AND d.status = 'pending' ORDER BY d.event_seq LIMIT ?`);
    this.stamp = db.prepare(`UPDATE deliveries SET claim_token = ?, claimed_until = ? WHERE sink = ? AND status = 'pending' AND event_seq BETWEEN ? AND ?`);
    this.updateDone =
      db.prepare(`UPDATE deliveries SET status = 'done', delivered_at = ?, attempts = attempts + 1, last_error = NULL, claim_token = NULL, claimed_until = NULL
      WHERE event_seq = ? AND sink = ? AND claim_token = ? AND status = 'pending'`);
    this.extendLease = db.prepare(`UPDATE deliveries SET claimed_until = ? WHERE claim_token = ? AND status = 'pending'`);
    this.updateFailed =
      db.prepare(`UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, first_failed_at = COALESCE(first_failed_at, ?),
      claim_token = NULL, claimed_until = NULL WHERE event_seq = ? AND sink = ? AND claim_token = ? AND status = 'pending'`);
    this.updateDead =
      db.prepare(`UPDATE deliveries SET status = 'dead', attempts = attempts + 1, last_error = ?, first_failed_at = COALESCE(first_failed_at, ?),
      claim_token = NULL, claimed_until = NULL WHERE event_seq = ? AND sink = ? AND claim_token = ? AND status = 'pending'`);
    this.countByStatus = db.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE sink = ? AND status = ?');
    this.releaseToken = db.prepare(`UPDATE deliveries SET claim_token = NULL, claimed_until = NULL WHERE claim_token = ?`);
    this.claimTransaction = db.transaction((sink: string, options: ClaimOptions) => this.claimNow(sink, options)).immediate as (
      sink: string,
      options: ClaimOptions,
    ) => Claim;
  }

  async claim(sink: string, options: ClaimOptions): Promise<Claim> {
    return relaxed(this.db, () => this.claimTransaction(sink, options));
  }

  async ack(token: string, seq: number, sink: string, at: number, leaseMs: number): Promise<boolean> {
    return relaxed(this.db, () =>
      this.db.transaction(() => {
        const done = this.updateDone.run(at, seq, sink, token).changes === 1;
        if (done) this.extendLease.run(at + leaseMs, token);
        return done;
      })(),
    );
  }

  async nack(token: string, seq: number, sink: string, failure: { error: string; nextAttemptAt: number; now: number }): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.updateFailed.run(failure.error, failure.nextAttemptAt, failure.now, seq, sink, token).changes === 1;
      // Refused: nothing changes (not even the rest of the token's claim).
      if (changed) this.releaseToken.run(token);
      return changed;
    })();
  }

  async bury(token: string, seq: number, sink: string, failure: { error: string; now: number }): Promise<boolean> {
    return this.updateDead.run(failure.error, failure.now, seq, sink, token).changes === 1;
  }

  async release(token: string): Promise<void> {
    relaxed(this.db, () => this.releaseToken.run(token));
  }

  async settle(sink: string, seqs: readonly number[], at: number): Promise<number> {
    if (seqs.length === 0) return 0;
    const statement = this.db.prepare(`UPDATE deliveries SET status = 'done', delivered_at = ?, attempts = attempts + 1, last_error = NULL
      WHERE sink = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?) AND event_seq IN (SELECT value FROM json_each(?))`);
    return statement.run(at, sink, at, JSON.stringify(seqs)).changes;
  }

  async killPending(sink: string, error: string, now: number): Promise<number> {
    return this.db
      .prepare(
        `UPDATE deliveries SET status = 'dead', last_error = COALESCE(last_error, ?), first_failed_at = COALESCE(first_failed_at, ?),
      claim_token = NULL, claimed_until = NULL WHERE sink = ? AND status = 'pending'`,
      )
      .run(error, now, sink).changes;
  }

  async retryDead(now: number, sink?: string): Promise<number> {
    const sql = `UPDATE deliveries SET status = 'pending', attempts = 0, first_failed_at = NULL, next_attempt_at = ?, claim_token = NULL, claimed_until = NULL
      WHERE status = 'dead'${sink === undefined ? '' : ' AND sink = ?'}`;
    const statement = this.db.prepare(sql);
    return (sink === undefined ? statement.run(now) : statement.run(now, sink)).changes;
  }

  async head(sink: string): Promise<PendingHead | null> {
    const row = this.selectHead.get(sink, 1);
    return row === undefined ? null : { seq: row.seq, nextAttemptAt: row.next_attempt_at, claimedUntil: row.claimed_until, firstFailedAt: row.first_failed_at };
  }

  async depth(sinks: readonly string[]): Promise<OutboxDepth[]> {
    // Covered by deliveries_by_sink (sink, status, event_seq): two index ranges per sink.
    return sinks.map((sink) => ({ sink, pending: this.countByStatus.get(sink, 'pending')!.n, dead: this.countByStatus.get(sink, 'dead')!.n }));
  }

  async retryPendingNow(now: number, sink?: string): Promise<number> {
    const sql = `UPDATE deliveries SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?${sink === undefined ? '' : ' AND sink = ?'}`;
    const statement = this.db.prepare(sql);
    return (sink === undefined ? statement.run(now, now) : statement.run(now, now, sink)).changes;
  }

  async summary(): Promise<OutboxSummary[]> {
    const rows = this.db
      .prepare(
        `SELECT sink,
        SUM(status = 'pending') AS pending, SUM(status = 'dead') AS dead, SUM(status = 'done') AS done,
        MIN(CASE WHEN status = 'pending' THEN e.created_at END) AS oldest
      FROM deliveries d JOIN events e ON e.seq = d.event_seq GROUP BY sink ORDER BY sink`,
      )
      .all() as Array<{ sink: string; pending: number; dead: number; done: number; oldest: number | null }>;
    return rows.map((r) => ({ sink: r.sink, pending: r.pending, dead: r.dead, done: r.done, oldestPendingAt: r.oldest }));
  }

  async dead(limit = 50, sink?: string): Promise<DeadDelivery[]> {
    const where = sink === undefined ? '' : ' AND d.sink = ?';
    const statement = this.db.prepare(`SELECT d.event_seq AS seq, d.sink, e.id, d.attempts, d.last_error FROM deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.status = 'dead'${where} ORDER BY d.event_seq DESC LIMIT ?`);
    const rows = (sink === undefined ? statement.all(limit) : statement.all(sink, limit)) as Array<{
      seq: number;
      sink: string;
      id: string;
      attempts: number;
      last_error: string | null;
    }>;
    return rows.map((r) => ({ seq: r.seq, sink: r.sink, id: r.id, attempts: r.attempts, lastError: r.last_error }));
  }

  private claimNow(sink: string, { limit, leaseMs, now }: ClaimOptions): Claim {
    const head = this.selectHead.all(sink, limit);
    const deliveries: ClaimedDelivery[] = [];
    let nextDueAt: number | null = null;
    for (const row of head) {
      const heldUntil = row.claimed_until !== null && row.claimed_until >= now ? row.claimed_until : null;
      if (row.next_attempt_at > now || heldUntil !== null) {
        if (deliveries.length === 0) nextDueAt = Math.max(row.next_attempt_at, heldUntil ?? 0);
        break;
      }
      deliveries.push({ seq: row.seq, sink, attempts: row.attempts, firstFailedAt: row.first_failed_at, event: JSON.parse(row.body) as AlertEvent });
    }
    const token = randomUUID();
    if (deliveries.length > 0) this.stamp.run(token, now + leaseMs, sink, deliveries[0]!.seq, deliveries[deliveries.length - 1]!.seq);
    return { token, deliveries, nextDueAt };
  }
}

interface HeadRow {
  seq: number;
  attempts: number;
  first_failed_at: number | null;
  next_attempt_at: number;
  claimed_until: number | null;
  body: string;
}
