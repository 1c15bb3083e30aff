/**
 * @module store/silences — silences: a monitor (or one of its subjects) muted until a time.
 * A silenced event is still recorded (with `data.silenced: true`) but delivered nowhere.
 */

export interface Silence {
  /** Short and random (12 hex digits): what `silence remove` and `DELETE /api/silences/:id` take. */
  id: string;
  monitor: string;
  /** One subject (`BTC`, `portfolio`, `BTCUSDT:LONG`), or null for every subject of the monitor. */
  subject: string | null;
  startsAt: number;
  endsAt: number;
  comment: string | null;
  createdAt: number;
  /** Where it was made: `cli`, `api` or `dashboard`. */
  createdBy: string;
}

export interface SilenceStore {
  add(silence: Silence): Promise<void>;
  /** True when it existed (and is now gone). */
  remove(id: string): Promise<boolean>;
  /** Silences in effect at `at` (started, not ended), oldest first; with `includeExpired`, every one kept. */
  list(at: number, options?: { includeExpired?: boolean }): Promise<Silence[]>;
  /** Deletes silences that ended before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/** Whether `silence` mutes an event of `monitor` about `subject` at `at`. */
export function mutes(silence: Silence, monitor: string, subject: string, at: number): boolean {
  return silence.monitor === monitor && (silence.subject === null || silence.subject === subject) && silence.startsAt <= at && at < silence.endsAt;
}
