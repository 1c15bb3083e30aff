/**
 * @module modes/mode — what a monitor mode is. A mode is one folder, `src/modes/<name>/`,
 * exporting one `Mode`, registered with one line in `registry.ts`.
 *
 * A mode owns everything about what it monitors: its configuration fields (zod) and
 * their meaning checks, how it measures subjects, its severity rule, its event type and
 * builder, its wording for `explain` and the API, and its Telegram rendering. Nothing
 * outside `src/modes/` branches on a mode's name. A mode never fetches: it declares what
 * it reads (`Need`s, shared by key across monitors) or which streams it listens to, and
 * the round or the stream driver hands it what arrived.
 */
import type { z } from 'zod';
import type { CompiledCondition, Evaluation, SeverityRule } from '../condition/index.js';
import type { ConfigProblem } from '../config/errors.js';
import type { MonitorConfig } from '../config/model.js';
import type { ModeBuildContext, RawMonitor } from '../config/mode-context.js';
import type { AlertEvent } from '../events/index.js';
import type { SymbolInfo } from '../exchange/index.js';
import type { BaselineSnapshot, Need, SourceCatalog } from '../sources/index.js';
import type { StateWrite, SubjectState } from '../store/index.js';
import type { StreamCatalog } from '../streams/catalog.js';
import type { StreamSource } from '../streams/stream-source.js';

export type { MonitorConfig };

/** A subject as configuration names it, for the API and the dashboard. */
export interface SubjectView {
  subject: string;
  /** The exchange symbol, when the subject has one. */
  symbol: string | null;
  condition: CompiledCondition;
}

/** One subject's outcome in a check, for logs, the API and tests. */
export interface SubjectOutcome {
  subject: string;
  current: number;
  previous: number | null;
  /** 'state' when previous came from the last check, 'baseline' from 24 h ago, 'none' when unknown. */
  previousFrom: 'state' | 'baseline' | 'none';
  evaluation: Evaluation;
  /** What the subject is, in words, for the dashboard (an open position's size and distance to liquidation). */
  detail?: string;
  /**
   * Builds this subject's `condition_met` event from this check's measures, with `discriminator`
   * in its id — for the alert lifecycle (reminders, resolved notices). Set by a mode when the
   * subject was evaluated and its monitor has an alert policy.
   */
  raise?: (discriminator: string) => AlertEvent;
}

/** Everything one monitor's check (or stream batch) produced. */
export interface MonitorCheck {
  monitor: string;
  /** New subject states; the round adds the version it read (compare-and-set). */
  states: StateWrite[];
  /** Subjects whose state is dropped (a position that closed starts fresh when it reopens). */
  forget: string[];
  events: AlertEvent[];
  subjects: SubjectOutcome[];
  /** Problems that made (part of) the check fail; the monitor's result is 'error' when any. */
  errors: string[];
  warnings: string[];
}

/**
 * Shared by checks with nothing in a list (most checks of a round raise no event, forget
 * nothing, have no error): a round of 10,000 monitors allocates no empty arrays for them.
 * Frozen, so a consumer that broke the rule "a check's lists are read, never changed" fails
 * loudly rather than writing into every check.
 */
export const NOTHING: never[] = Object.freeze([]) as unknown as never[];

/** An empty check of `monitor`, for a mode to fill in. */
export function emptyCheck(monitor: string): MonitorCheck {
  return { monitor, states: [], forget: [], events: [], subjects: [], errors: [], warnings: [] };
}

/** What a polled check can read before the baseline is fetched. */
export interface ReadInputs {
  readonly roundTime: number;
  readonly checkedAt: number;
  /** The value a need fetched this round; throws the error fetching it failed with. */
  read<T>(need: Need<T>): T;
}

/** Everything a polled check reads. */
export interface RoundInputs extends ReadInputs {
  readonly baseline: BaselineSnapshot;
}

/** A monitor of a polled mode, bound to its sources once. */
export interface PolledCheck {
  /** What it reads each round; needs with the same key are fetched once per round. */
  readonly needs: readonly Need<unknown>[];
  /**
   * Adds the symbols whose 24-hour-ago price this check needs this round (first runs). Replay
   * asks this before each slot, and a live round before the first round of its monitors; later
   * live rounds run their checks against a probe and fetch only what they asked for
   * (scheduler/round.ts), so a warm round makes no such pass.
   */
  baselineSymbols?(states: ReadonlyMap<string, SubjectState>, inputs: ReadInputs, into: Set<string>): void;
  /** Measures, evaluates and raises events. Pure: no I/O. */
  check(states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs): MonitorCheck;
}

/** Pulled at aligned rounds by the scheduler. */
export interface PolledDriver<S> {
  readonly kind: 'polled';
  bind(monitor: MonitorConfig<S>, sources: SourceCatalog): PolledCheck;
}

/** What arrived on a monitor's streams since its last batch (possibly nothing: a tick). */
export interface StreamBatch<I> {
  /** The batch's time: events raised by it are timed here (ms). */
  readonly at: number;
  readonly items: readonly I[];
}

/** What a pushed check is told when the driver starts. */
export interface ResumeContext {
  readonly now: number;
  /** When this monitor's last batch was committed (before a restart), or null the first time. */
  readonly lastBatchAt: number | null;
}

/** A monitor of a pushed mode, bound to its streams once. */
export interface StreamedCheck<I> {
  /** Streams with the same key are one connection for every monitor. */
  readonly streams: readonly StreamSource<I>[];
  /**
   * At start, how far back (a time, ms) the check wants what its streams recorded — to
   * rebuild rolling windows, or to evaluate what arrived after its last commit — or null.
   */
  historySince?(context: ResumeContext): number | null;
  /**
   * Gets that history (oldest first, every stream's) before any batch; returns the items to
   * evaluate in the first batch (those that may have been missed). Items may also arrive
   * live: a check is told each item possibly twice and must count it once.
   */
  resume?(history: readonly I[], context: ResumeContext): readonly I[];
  /**
   * Measures a batch, evaluates and raises events; no I/O. It may be called again with the
   * same batch (a commit refused because another process wrote a state): the same batch
   * must give the same result.
   */
  onBatch(states: ReadonlyMap<string, SubjectState>, batch: StreamBatch<I>): MonitorCheck;
}

/** Pushed: the stream driver micro-batches what its sources deliver. */
export interface StreamedDriver<S, I = unknown> {
  readonly kind: 'streamed';
  bind(monitor: MonitorConfig<S>, streams: StreamCatalog): StreamedCheck<I>;
}

/**
 * A monitor mode. `S` is what its configuration builds into (`MonitorConfig.settings`),
 * `I` what its streams deliver. The defaults are `any` on purpose: a registry holds modes
 * of different settings, and `S` appears both in and out of the methods (invariant).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Mode<S = any, I = any> {
  /** The `monitoring_mode` value. */
  readonly name: string;
  /** One line for help texts and errors, e.g. "spot prices of chosen assets". */
  readonly summary: string;
  /** The mode's own fields (zod), beside the common ones (name, check_interval, schedule, notify). */
  readonly fields: z.ZodRawShape;
  /**
   * Checks across the mode's fields on the raw monitor (before and whatever its shape),
   * so that every problem is reported in one run (a missing credential beside a bad interval).
   */
  checkFields?(monitor: RawMonitor, ctx: ModeBuildContext): void;
  /** Turns the validated fields (typed by each mode from its `fields`) into settings, with warnings; null when a problem was reported. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build(fields: Record<string, any>, ctx: ModeBuildContext): S | null;
  /** Problems only the exchange's symbol list shows (run when exchangeInfo answers). */
  verifyAgainstExchange?(monitor: MonitorConfig<S>, symbols: readonly SymbolInfo[]): ConfigProblem[];
  /** The venues whose futures symbol lists this monitor is checked against (`feedVenues`: the liquidation feed's). */
  futuresVenuesOf?(monitor: MonitorConfig<S>, feedVenues: readonly string[]): string[];
  /** Problems only a venue's futures symbol list shows; `listings` holds the venues that answered. */
  verifyAgainstFutures?(monitor: MonitorConfig<S>, listings: ReadonlyMap<string, readonly SymbolInfo[]>, feedVenues: readonly string[]): ConfigProblem[];
  /** The subjects to show: those configuration names, and those found at run time (in `states`: a stream's symbols, open positions). */
  subjects(monitor: MonitorConfig<S>, states: ReadonlyMap<string, SubjectState>): SubjectView[];
  /** What the condition measures, in words ("the price", "the portfolio value"). */
  readonly noun: string;
  /** The dashboard's heading of a monitor's value column ("% to liquidation"), when not the default. */
  valueHeading?(monitor: MonitorConfig<S>): string;
  /** The condition in words for `explain` and the API; `options` are the mode's own `explain` flags. */
  describe?(condition: CompiledCondition, monitor?: MonitorConfig<S>, options?: ExplainOptions): string;
  /** Flags `explain --mode <name>` takes for this mode (name → help text), e.g. a liquidation monitor's `window`. */
  readonly explainFlags?: Readonly<Record<string, string>>;
  /** Why `explain` must refuse a condition for this mode (what validation would say), or null. */
  refuseInExplain?(condition: CompiledCondition, options: ExplainOptions): string | null;
  /** How a met condition becomes a severity (conditions.md §4). */
  readonly severity: SeverityRule;
  /** The CloudEvents `type` of its events. */
  readonly eventType: string;
  /** Further types, for a mode that raises more than one kind of event. */
  readonly otherEventTypes?: readonly string[];
  /** The Telegram message (HTML) of one of its events. */
  renderTelegram?(event: AlertEvent): string;
  readonly driver: PolledDriver<S> | StreamedDriver<S, I>;
  /**
   * For a pushed mode's replay: how long after an item (ms) the monitor's state may change with
   * nothing new arriving (a rolling window draining). The replay evaluates it then.
   */
  replayTicks?(monitor: MonitorConfig<S>): number[];
  /** Why a monitor cannot be replayed over the past (its data has no history), or null when it can. */
  notReplayable?(monitor: MonitorConfig<S>): string | null;
  /** Every condition the monitor evaluates (to validate `rearm` against them). */
  conditionsOf?(settings: S): CompiledCondition[];
  /**
   * Why this monitor cannot have `notify_resolved` or `rearm` (a per-liquidation monitor: each
   * liquidation is an alert of its own, nothing "stops holding"), or null.
   */
  refuseLifecycle?(settings: S, field: 'notify_resolved' | 'rearm'): string | null;
  /** The settings with every condition replaced by `condition` (`replay --condition`); absent: not supported. */
  withCondition?(settings: S, condition: CompiledCondition): S;
}

/** The values of a mode's own `explain` flags. */
export type ExplainOptions = Readonly<Record<string, string>>;

/** The condition in words, as the mode words it. */
export function describeFor(mode: Mode, condition: CompiledCondition, monitor?: MonitorConfig, options?: ExplainOptions): string {
  return mode.describe?.(condition, monitor, options) ?? condition.describe(mode.noun);
}
