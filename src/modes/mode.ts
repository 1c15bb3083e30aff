/**
 * @module modes/mode — what a monitor mode is: measuring subjects from a round's snapshot.
 *
 * A mode never fetches. The round gathers what every due monitor needs (prices once,
 * each account once, the 24 h baseline once) and hands each mode the same inputs.
 * A future mode (liquidation stream, replay) implements this interface and is added
 * to registry.ts.
 */
import type { Evaluation, MonitorMode } from '../condition/index.js';
import type { MonitorConfig } from '../config/index.js';
import type { AlertEvent } from '../events/index.js';
import type { Balance } from '../exchange/index.js';
import type { PriceSnapshot } from '../sources/index.js';
import type { SubjectState } from '../store/index.js';

/** What a round knows before the baseline is fetched. */
export interface RoundInputs {
  roundTime: number;
  checkedAt: number;
  prices: PriceSnapshot;
  /** The account's balances, or the error fetching them, by account key. */
  balances(monitor: MonitorConfig): Balance[] | Error;
}

/** The 24 h baseline, once fetched (or null when it could not be). */
export interface BaselineInputs {
  available: boolean;
  openPrice(symbol: string): number | undefined;
}

/** One subject's outcome in a check, for logs, the API and tests. */
export interface SubjectOutcome {
  subject: string;
  current: number;
  previous: number | null;
  /** 'state' when previous came from the last check, 'baseline' from 24 h ago, 'none' when unknown. */
  previousFrom: 'state' | 'baseline' | 'none';
  evaluation: Evaluation;
}

/** Everything one monitor's check produced. */
export interface MonitorCheck {
  monitor: string;
  states: SubjectState[];
  events: AlertEvent[];
  subjects: SubjectOutcome[];
  /** Problems that made (part of) the check fail; the monitor's result is 'error' when any. */
  errors: string[];
  warnings: string[];
}

export interface Mode {
  readonly name: MonitorMode;
  /** Adds to `into` the symbols whose 24-hour-ago price this monitor needs in this round. */
  collectBaselineSymbols(monitor: MonitorConfig, states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs, into: Set<string>): void;
  /** Measures, evaluates and raises events. Pure: no I/O. */
  check(monitor: MonitorConfig, states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs, baseline: BaselineInputs): MonitorCheck;
}
