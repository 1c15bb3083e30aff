/**
 * @module store/sqlite/state-journal — a commit's subject states as one row of numbers.
 *
 * Why: every round writes every state it checked (its value, previous, time and version all
 * change), and 10,000 rows of a table keyed by two strings cost 8–15 ms of a round, 1,000,000
 * about a second. The same states as one blob of numbers — a state named by its integer key
 * (`state_key`) — cost a fraction of that, in the same transaction, so durability is the
 * same. The rows are folded into `state_folded` (read as the `subject_state` view) later, outside any round (SqliteStates.fold).
 *
 * Layout (little-endian), version 1:
 * - header, 16 bytes: u8 format (1), 3 bytes zero, u32 writes (n), u32 forgets (f), u32 alert bytes (a);
 * - n × 5 float64: key id, value, previous (0 when none), checked at, version;
 * - n × u8 flags: 1 armed, 2 no previous, 4 an alert memory follows;
 * - padding to 8 bytes, f × float64: key ids forgotten (after the writes);
 * - a bytes: the alert memories, in write order, each u32 length then its JSON (UTF-8).
 */
import { endianness } from 'node:os';
import { StoreError } from '../errors.js';
import type { SubjectState } from '../model.js';

export const JOURNAL_FORMAT = 1;
/**
 * States per journal row: a commit of more is several consecutive rows (~670 KB each), so the
 * encoding buffer and SQLite's copy of a blob stay bounded whatever the round's size (one row
 * for 1,000,000 states was 41 MB, and a buffer of 1.5 times that kept for the process's life).
 */
export const STATES_PER_ROW = 16_384;
const HEADER_BYTES = 16;
const ARMED = 1;
const NO_PREVIOUS = 2;
const ALERT = 4;

/** Where the flags end and the forgets begin (after padding to 8 bytes). */
const forgetsAt = (writes: number) => align(HEADER_BYTES + writes * 40 + writes, 8);
/** The numbers are written through a Float64Array (the machine's byte order) and read little-endian. */
const LITTLE_ENDIAN = endianness() === 'LE';
const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Encodes into one buffer it keeps and grows: a round's journal row is built without a
 * buffer of its own (better-sqlite3 copies a blob when it binds it).
 */
export class JournalEncoder {
  private bytes = new ArrayBuffer(64 * 1024);
  private buffer = Buffer.from(this.bytes);
  private numbers = new Float64Array(this.bytes);

  /**
   * The row for `writes[from..to)` (each with its key id at the same index of `ids`) and the
   * keys forgotten after them. The buffer returned is valid until the next call.
   */
  encode(writes: readonly SubjectState[], ids: readonly number[], forgets: readonly number[], from = 0, to = writes.length): Buffer {
    const n = to - from;
    let alerts: string[] | null = null;
    let alertBytes = 0;
    for (let i = from; i < to; i++) {
      const alert = writes[i]!.alert;
      if (alert === undefined || alert === null) continue;
      const text = JSON.stringify(alert);
      (alerts ??= []).push(text);
      alertBytes += 4 + Buffer.byteLength(text);
    }
    const forgetStart = forgetsAt(n);
    const alertStart = forgetStart + forgets.length * 8;
    this.reserve(alertStart + alertBytes);
    const b = this.buffer;
    const f64 = this.numbers;
    b.writeUInt32LE(JOURNAL_FORMAT, 0);
    b.writeUInt32LE(n, 4);
    b.writeUInt32LE(forgets.length, 8);
    b.writeUInt32LE(alertBytes, 12);
    const flagStart = HEADER_BYTES + n * 40;
    // An indexed loop over typed arrays: 10,000 states a round (1,000,000 at the far end).
    for (let i = 0, at = HEADER_BYTES / 8; i < n; i++, at += 5) {
      const s = writes[from + i]!;
      if (LITTLE_ENDIAN) {
        f64[at] = ids[from + i]!;
        f64[at + 1] = s.value;
        f64[at + 2] = s.previous ?? 0;
        f64[at + 3] = s.checkedAt;
        f64[at + 4] = s.version;
      } else {
        b.writeDoubleLE(ids[from + i]!, at * 8);
        b.writeDoubleLE(s.value, at * 8 + 8);
        b.writeDoubleLE(s.previous ?? 0, at * 8 + 16);
        b.writeDoubleLE(s.checkedAt, at * 8 + 24);
        b.writeDoubleLE(s.version, at * 8 + 32);
      }
      b[flagStart + i] = (s.armed ? ARMED : 0) | (s.previous === null ? NO_PREVIOUS : 0) | (s.alert === undefined || s.alert === null ? 0 : ALERT);
    }
    b.fill(0, flagStart + n, forgetStart);
    for (let i = 0; i < forgets.length; i++) b.writeDoubleLE(forgets[i]!, forgetStart + i * 8);
    let at = alertStart;
    for (const text of alerts ?? []) {
      const length = b.write(text, at + 4, 'utf8');
      b.writeUInt32LE(length, at);
      at += 4 + length;
    }
    return b.subarray(0, at);
  }

  private reserve(size: number): void {
    if (size <= this.bytes.byteLength) return;
    this.bytes = new ArrayBuffer(align(size * 1.5, 8));
    this.buffer = Buffer.from(this.bytes);
    this.numbers = new Float64Array(this.bytes);
  }
}

/** One state of a journal row, named by its key id; `alert` is the stored JSON or null. */
export interface JournalWrite {
  id: number;
  value: number;
  previous: number | null;
  armed: boolean;
  checkedAt: number;
  version: number;
  alert: string | null;
}

/**
 * Reads a journal row, calling `write` for each state then `forget` for each key forgotten,
 * in the order they were committed. A row that is not what this version wrote is an error
 * naming it (the state database is damaged): never a state made up from it.
 */
export function decodeJournal(seq: number, body: Buffer, write: (w: JournalWrite) => void, forget: (id: number) => void): void {
  const damaged = (what: string) =>
    new StoreError(
      'STORE_DAMAGED',
      `state journal row ${seq} is damaged (${what}); restore the state database from a backup, or move it aside to start with an empty state`,
    );
  if (body.length < HEADER_BYTES) throw damaged(`${body.length} bytes, shorter than its header`);
  const format = body.readUInt32LE(0);
  if (format !== JOURNAL_FORMAT) throw damaged(`format ${format}, this version reads ${JOURNAL_FORMAT}`);
  const n = body.readUInt32LE(4);
  const forgets = body.readUInt32LE(8);
  const alertBytes = body.readUInt32LE(12);
  const forgetStart = forgetsAt(n);
  const alertStart = forgetStart + forgets * 8;
  if (alertStart + alertBytes !== body.length) throw damaged(`${body.length} bytes for ${n} states, ${forgets} forgets and ${alertBytes} bytes of alerts`);
  const flagStart = HEADER_BYTES + n * 40;
  let alertAt = alertStart;
  for (let i = 0; i < n; i++) {
    const at = HEADER_BYTES + i * 40;
    const flags = body[flagStart + i]!;
    let alert: string | null = null;
    if ((flags & ALERT) !== 0) {
      if (alertAt + 4 > body.length) throw damaged(`state ${i}'s alert memory is missing`);
      const length = body.readUInt32LE(alertAt);
      if (alertAt + 4 + length > body.length) throw damaged(`state ${i}'s alert memory overruns the row`);
      alert = body.toString('utf8', alertAt + 4, alertAt + 4 + length);
      alertAt += 4 + length;
    }
    write({
      id: body.readDoubleLE(at),
      value: body.readDoubleLE(at + 8),
      previous: (flags & NO_PREVIOUS) !== 0 ? null : body.readDoubleLE(at + 16),
      armed: (flags & ARMED) !== 0,
      checkedAt: body.readDoubleLE(at + 24),
      version: body.readDoubleLE(at + 32),
      alert,
    });
  }
  for (let i = 0; i < forgets; i++) forget(body.readDoubleLE(forgetStart + i * 8));
}
