/**
 * @module store/sqlite/state-map — the states of a monitor with several subjects (a
 * portfolio's assets, positions, liquidation windows per symbol), with their key ids.
 */
import type { SubjectState } from '../model.js';
import type { OneState } from './one-state.js';

export class StateMap extends Map<string, SubjectState> {
  /** Whether state_folded holds these states (false until the journal is folded into it). */
  folded = false;
  private readonly ids = new Map<string, number>();

  /** The key id of `subject`'s state, if this map has it. */
  idOf(subject: string): number | undefined {
    return this.ids.get(subject);
  }

  /** Adds or replaces a state with its key id (only while the map is being built: a map handed out never changes). */
  put(state: SubjectState, id: number): void {
    this.set(state.subject, state);
    this.ids.set(state.subject, id);
  }

  /** Removes a subject (only while the map is being built). */
  drop(subject: string): void {
    this.delete(subject);
    this.ids.delete(subject);
  }

  /** A copy to change: the map handed out stays as it is. */
  static copyOf(states: StateSet | undefined): StateMap {
    const copy = new StateMap();
    // forEach, not the iterator protocol: 10,000 monitors a round.
    states?.forEach((state, subject) => copy.put(state, states.idOf(subject)!));
    return copy;
  }
}

/** What the state cache keeps per monitor. */
export type StateSet = OneState | StateMap;
