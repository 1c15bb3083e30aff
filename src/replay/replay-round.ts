/**
 * @module replay/replay-round — one replayed slot: the modes' own checks (the same code a live
 * round runs: needs, the 24 h baseline for first checks, evaluation, once-state, severity,
 * events), with the states kept in memory between slots.
 *
 * A live round also guards its commit against another writer, records statuses and routes
 * events to the outbox; a replay has no other writer and delivers nothing, so it keeps only
 * the states. Skipping that machinery is what lets a year of minutes run in seconds.
 */
import type { MonitorConfig } from '../config/index.js';
import type { AlertEvent } from '../events/index.js';
import type { MonitorCheck, PolledCheck, ReadInputs, RoundInputs } from '../modes/mode.js';
import { failedCheck } from '../scheduler/commit.js';
import { fetchNeeds } from '../scheduler/needs.js';
import type { BaselineSnapshot, BaselineSource, SourceCatalog } from '../sources/index.js';
import type { SubjectState } from '../store/index.js';

const NO_BASELINE: BaselineSnapshot = { available: true, openPrice: () => undefined };

export class ReplayRound {
  /** Each monitor's check and its states, found once per monitor rather than twice per check. */
  private readonly bound = new Map<string, { check: PolledCheck; states: Map<string, SubjectState> }>();

  constructor(
    private readonly sources: SourceCatalog,
    private readonly baseline: BaselineSource,
  ) {}

  /** Runs the slot for `monitors`; returns each check and the events raised, in order. */
  async run(slot: number, monitors: readonly MonitorConfig[]): Promise<{ checks: MonitorCheck[]; events: AlertEvent[] }> {
    const bound = monitors.map((m) => this.bind(m));
    const { read } = await fetchNeeds(
      bound.map((b) => b.check),
      slot,
    );
    const readInputs: ReadInputs = { roundTime: slot, checkedAt: slot, read };
    const symbols = new Set<string>();
    for (const { check, states } of bound) check.baselineSymbols?.(states, readInputs, symbols);
    let baseline = NO_BASELINE;
    if (symbols.size > 0) {
      const found = await this.baseline.openPrices([...symbols], slot);
      baseline = { available: true, openPrice: (symbol) => found.openPrices.get(symbol) };
    }
    const inputs: RoundInputs = { ...readInputs, baseline };
    const results: MonitorCheck[] = [];
    const events: AlertEvent[] = [];
    bound.forEach(({ check, states }, i) => {
      const monitor = monitors[i]!;
      let result: MonitorCheck;
      try {
        result = check.check(states, inputs);
      } catch (error) {
        result = failedCheck(monitor.name, error);
      }
      // Kept as written (no copy: a year of minutes writes millions); a replay has no other writer, so no version.
      for (const state of result.states) states.set(state.subject, state as SubjectState);
      for (const subject of result.forget) states.delete(subject);
      for (const event of result.events) events.push(event);
      results.push(result);
    });
    return { checks: results, events };
  }

  private bind(monitor: MonitorConfig): { check: PolledCheck; states: Map<string, SubjectState> } {
    let bound = this.bound.get(monitor.name);
    if (bound === undefined) {
      const driver = monitor.plugin.driver;
      if (driver.kind !== 'polled') throw new Error(`monitor "${monitor.name}" is driven by a stream, not by rounds`);
      bound = { check: driver.bind(monitor, this.sources), states: new Map() };
      this.bound.set(monitor.name, bound);
    }
    return bound;
  }
}
