/**
 * @module store/sqlite/state-cache — every monitor's states in memory, found by position.
 *
 * Why (issue 16): a round looked each monitor up by name five times (its read, the commit's
 * guard and key ids, the cache's update). At 1,000,000 monitors a lookup in a map that size
 * is a few cache misses, ~0.5 µs, and those lookups were a fifth of the round. Here each
 * monitor keeps one position for the cache's life (a reload makes a new cache). A round
 * plan reads the same monitors every round, in the same array: their positions are worked
 * out once and kept (`inOrder`), and a commit, whose writes come in that order, follows
 * them with a cursor (`locate`) instead of looking each name up.
 */
import type { SubjectState } from '../model.js';
import type { StateSet } from './state-map.js';

/** How far `locate` looks ahead of its cursor (monitors of the order with nothing to write) before asking the map. */
const LOOK_AHEAD = 8;
/** Orders kept: a service's rounds and its stream driver's batches read the cache in turn, each in its own order. */
const ORDERS_KEPT = 4;

/** The monitors of one `inOrder` caller: the array it passed, a copy, their positions, and (once needed) each position's index in them. */
interface Order {
  names: readonly string[];
  copy: readonly string[];
  at: Int32Array;
  indexOf: Int32Array | null;
}

export class StateCache {
  /** Each monitor's position in `sets` and `monitors`. */
  private readonly positions = new Map<string, number>();
  private readonly monitors: string[] = [];
  /** Undefined: a monitor read (so it has a position) that has no state yet. */
  private readonly sets: Array<StateSet | undefined> = [];
  /** The orders of the last few `inOrder` calls, the latest first: `locate` follows the latest. */
  private orders: Order[] = [];
  private cursor = 0;

  get(monitor: string): StateSet | undefined {
    const at = this.positions.get(monitor);
    return at === undefined ? undefined : this.sets[at];
  }

  set(monitor: string, states: StateSet): void {
    this.sets[this.positionOf(monitor)] = states;
  }

  /** The states at a position from `locate`. */
  at(position: number): StateSet | undefined {
    return this.sets[position];
  }

  /** Replaces the states at a position from `locate` (or of `monitor`, when it had none). */
  setAt(position: number | undefined, monitor: string, states: StateSet): void {
    if (position === undefined) this.set(monitor, states);
    else this.sets[position] = states;
  }

  /** Every monitor that has states. */
  forEach(callback: (states: StateSet, monitor: string) => void): void {
    for (let i = 0; i < this.sets.length; i++) {
      const states = this.sets[i];
      if (states !== undefined) callback(states, this.monitors[i]!);
    }
  }

  /** Each of `names`' states, in their order, into `out` (`none` where a monitor has none). */
  inOrder(names: readonly string[], out: Array<ReadonlyMap<string, SubjectState>>, none: ReadonlyMap<string, SubjectState>): void {
    const at = this.positionsOf(names);
    for (let i = 0; i < names.length; i++) out[i] = this.sets[at[i]!] ?? none;
  }

  /** Before a pass over writes in the last order's monitor order. */
  rewind(): void {
    this.cursor = 0;
  }

  /**
   * The position of `monitor`, or undefined when it has none. Writes that follow the last
   * order are found by comparing names at the cursor; any other is looked up in the map
   * (and puts the cursor where it is in the order), so an order nobody follows costs what a
   * lookup costs, never a scan.
   */
  locate(monitor: string): number | undefined {
    const order = this.orders[0];
    if (order !== undefined) {
      const names = order.copy;
      const end = Math.min(names.length, this.cursor + LOOK_AHEAD);
      for (let i = this.cursor; i < end; i++) {
        if (names[i] === monitor) {
          this.cursor = i;
          return order.at[i];
        }
      }
    }
    const position = this.positions.get(monitor);
    if (order !== undefined && position !== undefined) {
      const index = indexOf(order, this.sets.length);
      if (position < index.length && index[position]! >= 0) this.cursor = index[position]!;
    }
    return position;
  }

  /** The positions of `names`, kept while the next call passes the same array with the same names (a round plan's). */
  private positionsOf(names: readonly string[]): Int32Array {
    const orders = this.orders;
    for (let k = 0; k < orders.length; k++) {
      const order = orders[k]!;
      if (order.names !== names) continue;
      orders.splice(k, 1);
      if (!sameNames(order.copy, names)) break; // changed in place: worked out again below
      orders.unshift(order);
      return order.at;
    }
    const at = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) at[i] = this.positionOf(names[i]!);
    orders.unshift({ names, copy: names.slice(), at, indexOf: null });
    if (orders.length > ORDERS_KEPT) orders.length = ORDERS_KEPT;
    return at;
  }

  private positionOf(monitor: string): number {
    let at = this.positions.get(monitor);
    if (at === undefined) {
      at = this.sets.length;
      this.positions.set(monitor, at);
      this.monitors.push(monitor);
      this.sets.push(undefined);
    }
    return at;
  }
}

/**
 * Each position's index in `order` (-1: not in it), made the first time a write is found off
 * the order's path: a batch of a few monitors in a cache of 1,000,000 never pays for it.
 */
function indexOf(order: Order, positions: number): Int32Array {
  if (order.indexOf === null) {
    const index = new Int32Array(positions).fill(-1);
    for (let i = 0; i < order.at.length; i++) index[order.at[i]!] = i;
    order.indexOf = index;
  }
  return order.indexOf;
}

/** Whether a caller changed its array in place since (compared name by name, no lookups). */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
