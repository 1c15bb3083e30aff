/**
 * @module replay/replay-round — one replayed slot: the modes' own checks (the same code a live
 * round runs: needs, the 24 h baseline for first checks, evaluation, once-state, severity,
 * events), with the states kept in memory between slots.
 *
 * A live round also guards its commit against another writer, records statuses and routes
 * events to the outbox; a replay has no other writer and delivers nothing, so it keeps only
 * the states. Skipping that machinery is what lets a year of minutes run in seconds. So does
 * reading without waiting: history is in memory, so a slot whose needs are all `known` runs
 * synchronously, and only one whose needs must be fetched (today's balances, once) awaits.
 */
import { withLifecycle } from '../lifecycle/bind.js';
import type { MonitorConfig } from '../config/index.js';
import type { AlertEvent } from '../events/index.js';
import type { MonitorCheck, PolledCheck, ReadInputs, RoundInputs } from '../modes/mode.js';
import { failedCheck } from '../scheduler/commit.js';
import { fetchNeeds } from '../scheduler/needs.js';
import type { Baseline, BaselineSnapshot, Need, SourceCatalog } from '../sources/index.js';
import type { SubjectState } from '../store/index.js';

const NO_BASELINE: BaselineSnapshot = { available: true, openPrice: () => undefined };

export interface SlotOutcome {
  checks: MonitorCheck[];
  events: AlertEvent[];
}

interface Bound {
  check: PolledCheck;
  states: Map<string, SubjectState>;
}

type Read = ReadInputs['read'];

export class ReplayRound {
  /** Each monitor's check and its states, found once per monitor rather than twice per check. */
  private readonly bound = new Map<string, Bound>();
  /** The last list of monitors bound: a slot of the same monitors (every slot, usually) reuses it. */
  private lastMonitors: readonly MonitorConfig[] | null = null;
  private lastBound: Bound[] = [];
  private lastNeeds: Need<unknown>[] = [];

  constructor(
    private readonly sources: SourceCatalog,
    private readonly baseline: (symbols: Iterable<string>, at: number) => Baseline,
  ) {}

  /** Runs the slot for `monitors`; each check and the events raised, in order (synchronously when every need is known). */
  run(slot: number, monitors: readonly MonitorConfig[]): SlotOutcome | Promise<SlotOutcome> {
    const bound = this.bindAll(monitors);
    const read = this.readKnown(slot);
    if (read !== null) return this.checkAll(slot, monitors, bound, read);
    return fetchNeeds(
      bound.map((b) => b.check),
      slot,
    ).then(({ read: fetched }) => this.checkAll(slot, monitors, bound, fetched));
  }

  /** A reader of the slot's needs when all are known without waiting, else null. */
  private readKnown(slot: number): Read | null {
    const needs = this.lastNeeds;
    const values: unknown[] = [];
    for (const need of needs) {
      // Unknown (or failing: fetchNeeds keeps the error for the checks that read it): the slot awaits.
      let value: unknown;
      try {
        value = need.known?.(slot);
      } catch {
        return null;
      }
      if (value === undefined) return null;
      values.push(value);
    }
    return <T>(need: Need<T>): T => {
      const i = needs.findIndex((n) => n.key === need.key);
      if (i < 0) throw new Error(`${need.key} was not read this slot`);
      return values[i] as T;
    };
  }

  private checkAll(slot: number, monitors: readonly MonitorConfig[], bound: readonly Bound[], read: Read): SlotOutcome {
    const readInputs: ReadInputs = { roundTime: slot, checkedAt: slot, read };
    const symbols = new Set<string>();
    for (const { check, states } of bound) check.baselineSymbols?.(states, readInputs, symbols);
    let baseline = NO_BASELINE;
    if (symbols.size > 0) {
      const found = this.baseline(symbols, slot);
      baseline = { available: true, openPrice: (symbol) => found.openPrices.get(symbol) };
    }
    const inputs: RoundInputs = { roundTime: slot, checkedAt: slot, read, baseline };
    const checks: MonitorCheck[] = [];
    const events: AlertEvent[] = [];
    for (let i = 0; i < bound.length; i++) {
      const { check, states } = bound[i]!;
      let result: MonitorCheck;
      try {
        result = check.check(states, inputs);
      } catch (error) {
        result = failedCheck(monitors[i]!.name, error);
      }
      // Kept as written (no copy: a year of minutes writes millions); a replay has no other writer, so no version.
      for (const state of result.states) states.set(state.subject, state as SubjectState);
      for (const subject of result.forget) states.delete(subject);
      for (const event of result.events) events.push(event);
      checks.push(result);
    }
    return { checks, events };
  }

  private bindAll(monitors: readonly MonitorConfig[]): Bound[] {
    if (monitors === this.lastMonitors) return this.lastBound;
    const bound = monitors.map((m) => this.bind(m));
    const needs = new Map<string, Need<unknown>>();
    for (const { check } of bound) for (const need of check.needs) if (!needs.has(need.key)) needs.set(need.key, need);
    this.lastMonitors = monitors;
    this.lastBound = bound;
    this.lastNeeds = [...needs.values()];
    return bound;
  }

  private bind(monitor: MonitorConfig): Bound {
    let bound = this.bound.get(monitor.name);
    if (bound === undefined) {
      const driver = monitor.plugin.driver;
      if (driver.kind !== 'polled') throw new Error(`monitor "${monitor.name}" is driven by a stream, not by rounds`);
      bound = { check: withLifecycle(monitor, driver.bind(monitor, this.sources)), states: new Map() };
      this.bound.set(monitor.name, bound);
    }
    return bound;
  }
}
