/**
 * @module store/sqlite/one-state — the states of a monitor with one subject, as a read-only map.
 *
 * Most monitors watch one subject (one asset), and every round replaces their map of states
 * (copy on write: a map already handed out never changes). A Map with its hash table is
 * ~190 bytes a monitor a round, promoted and then collected; this is one small object.
 */
import type { SubjectState } from '../model.js';

export class OneState implements ReadonlyMap<string, SubjectState> {
  /** Whether state_folded holds this state (false until the journal is folded into it). */
  folded = false;

  constructor(
    private readonly state: SubjectState,
    /** The state's key in `state_key` (journal rows name it so). */
    private readonly id: number,
  ) {}

  /** A getter, not a field: one word less in each of a million small maps. */
  get size(): number {
    return 1;
  }

  /** The key id of `subject`'s state, if this map has it. */
  idOf(subject: string): number | undefined {
    return subject === this.state.subject ? this.id : undefined;
  }

  get(subject: string): SubjectState | undefined {
    return subject === this.state.subject ? this.state : undefined;
  }

  has(subject: string): boolean {
    return subject === this.state.subject;
  }

  forEach(callback: (state: SubjectState, subject: string, map: ReadonlyMap<string, SubjectState>) => void, thisArg?: unknown): void {
    callback.call(thisArg, this.state, this.state.subject, this);
  }

  *entries(): MapIterator<[string, SubjectState]> {
    yield [this.state.subject, this.state];
  }

  *keys(): MapIterator<string> {
    yield this.state.subject;
  }

  *values(): MapIterator<SubjectState> {
    yield this.state;
  }

  [Symbol.iterator](): MapIterator<[string, SubjectState]> {
    return this.entries();
  }
}
