/**
 * @module scheduler/round — one round: fetch once, measure every due monitor, commit once.
 *
 * Whatever the number of monitors, a round fetches each need once (one ticker request,
 * one request per distinct account) and the 24 h baseline once when a check needs it (itself
 * the cheaper of per-symbol and all-symbols; again only for symbols a check asked that were
 * not fetched, which after a failed fetch a re-evaluation below asks once more). A monitor
 * whose read fails does not affect the others. The commit is guarded: when another writer (a
 * `check` beside `run`) changed a state since the round read it, the round re-reads the
 * states and evaluates again from the same fetched data, so a once-alert fires once, with
 * one id.
 */
import type { AlertEvent } from '../events/index.js';
import { withLifecycle } from '../lifecycle/bind.js';
import type { MonitorConfig } from '../config/index.js';
import { AsterwatchError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { MonitorCheck, PolledCheck, ReadInputs, RoundInputs } from '../modes/mode.js';
import type { BaselineSnapshot, BaselineSource, Need, SourceCatalog } from '../sources/index.js';
import { StaleStateError, type RoundCommit, type Store, type StoredEvent, type SubjectState } from '../store/index.js';
import { buildCommit, failedCheck, okStatusesOf } from './commit.js';
import { distinctNeeds, fetchNeeds } from './needs.js';

export interface RoundDependencies {
  sources: SourceCatalog;
  baseline: BaselineSource;
  store: Store;
  logger: Logger;
  /** The sinks an event goes to: the monitor's `notify` less sinks whose min_severity is above it. */
  /** The sinks an event goes to; none for a silenced one (which the route marks `data.silenced`). */
  route(monitor: MonitorConfig, severity: number, event: AlertEvent): string[];
  now?: () => number;
  /** Re-evaluations after another writer changed the round's states (default 5). */
  maxStaleRetries?: number;
}

export interface RoundOutcome {
  roundTime: number;
  checkedAt: number;
  checks: MonitorCheck[];
  /** Events newly written to the outbox (a re-run round's events are not repeated). */
  events: StoredEvent[];
  /** Monitors whose check failed (in whole or in part). */
  failed: string[];
  /** Whether the round read the exchange itself (prices); false for rounds of modes that do not. */
  contactedExchange: boolean;
  /** Why the exchange could not be read (unreachable or misbehaving), or null. */
  exchangeError: string | null;
  /** From the round's start to its commit. */
  durationMs: number;
}

/** The service stopped while the round was under way: nothing was written, the slot re-runs at the next start. */
export class RoundAbandonedError extends AsterwatchError {
  constructor(roundTime: number) {
    super('ROUND_ABANDONED', `the round of ${new Date(roundTime).toISOString()} was abandoned at shutdown; it runs again at the next start`, {
      userFacing: false,
    });
  }
}

export class RoundRunner {
  private readonly now: () => number;
  private readonly bound = new WeakMap<MonitorConfig, PolledCheck>();
  /** The last round's monitors, bound: the next round of the same monitors (the usual case) reuses it. */
  private plan: RoundPlan | null = null;
  private abandoned = false;

  constructor(private readonly deps: RoundDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** At shutdown: rounds under way write nothing (their slots re-run at the next start). */
  abandon(): void {
    this.abandoned = true;
  }

  /** Runs one round for `monitors`, identified by `roundTime` (the slot, or the invocation time for `check`). */
  async run(roundTime: number, monitors: readonly MonitorConfig[]): Promise<RoundOutcome> {
    const { store, logger } = this.deps;
    const checkedAt = this.now();
    const plan = this.planFor(monitors);
    const { checks, names, needs } = plan;
    const { read, contactedExchange, exchangeError } = await fetchNeeds(checks, checkedAt, needs);
    const readInputs: ReadInputs = { roundTime, checkedAt, read };

    let baseline: FetchedBaseline | null = null;
    let outcome: { results: MonitorCheck[]; commit: RoundCommit; events: StoredEvent[] } | null = null;
    const attempts = 1 + (this.deps.maxStaleRetries ?? 5);
    for (let attempt = 1; attempt <= attempts && outcome === null; attempt++) {
      // Looked up by name once, in the monitors' order: a round passes over its monitors three times.
      const states = await store.statesInOrder(names);
      // The 24 h baseline is needed only by first checks (no fresh state): the checks run with
      // a probe that notes what they ask for, and when one asked, the baseline is fetched and
      // the checks that asked run again. A check that did not ask never read it, so its result
      // stands, and it runs once: some keep memory between calls (a position's direction, a
      // warning said once). A warm round asks nothing, so it makes no pass over its monitors
      // for the baseline (2 ms of a 10,000-monitor round).
      //
      // A plan's first round (a start, a reload, or another set of monitors due than the last
      // round's) is when most checks ask, and running them all twice held two results per
      // monitor at once (at 1,000,000 monitors the process's peak): then the checks that can
      // say which symbols they need say so first (a pass over them), the baseline is fetched
      // before any check runs, and the probe answers from it. Until a round of the plan has
      // read its needs and committed, its next round does the same.
      if (baseline === null && !plan.checked) {
        const symbols = baselineSymbolsOf(checks, states, readInputs);
        if (symbols.size > 0) baseline = await this.fetchBaseline(symbols, readInputs.checkedAt);
      }
      const probe = new BaselineProbe(baseline);
      const results = checkAll(checks, names, states, { ...readInputs, baseline: probe });
      // Asked for symbols the baseline does not cover (none, most rounds): fetched, and the checks that consulted it run again.
      if (probe.asked.size > 0) {
        const more = await this.fetchBaseline(probe.asked, readInputs.checkedAt);
        const answer: FetchedBaseline = baseline === null ? more : merged(baseline, more);
        // Fetched for good, or failed with nothing fetched before: kept for a re-evaluation. A
        // follow-up that failed is what those checks see (no baseline, as when a round's one
        // fetch fails), while what was fetched before stays, and a re-evaluation asks again.
        if (more.available || baseline === null) baseline = answer;
        const inputs: RoundInputs = { ...readInputs, baseline: answer };
        for (const i of probe.askedBy) results[i] = checkOne(checks[i]!, names[i]!, states[i]!, inputs);
      }
      const commit = buildCommit(roundTime, checkedAt, monitors, results, states, this.deps.route, plan.okStatuses);
      if (this.abandoned) throw new RoundAbandonedError(roundTime);
      try {
        outcome = { results, commit, events: await store.commit(commit) };
      } catch (error) {
        if (!(error instanceof StaleStateError) || attempt === attempts) throw error;
        logger.debug({ roundTime, attempt, reason: error.message }, "another process changed this round's state; evaluating again");
      }
    }
    const { results, events } = outcome!;
    // A round that could not read the exchange ran no check far enough to ask: the next still asks first.
    if (exchangeError === null) plan.checked = true;

    const failed: string[] = [];
    // Indexed loops: run once a round, this code is not optimised, and for-of would allocate an
    // iterator and its results per monitor (10,000 a round).
    for (let i = 0; i < results.length; i++) {
      const check = results[i]!;
      for (let w = 0; w < check.warnings.length; w++) logger.warn({ monitor: check.monitor }, check.warnings[w]!);
      if (check.errors.length > 0) {
        failed.push(check.monitor);
        logger.error(
          { monitor: check.monitor, errors: check.errors },
          `check of monitor "${check.monitor}" failed; retrying next round: ${check.errors.join('; ')}`,
        );
      }
    }
    const durationMs = this.now() - checkedAt;
    logger.debug(
      { roundTime: new Date(roundTime).toISOString(), monitors: monitors.length, events: events.length, failed: failed.length, ms: durationMs },
      'round done',
    );
    return { roundTime, checkedAt, checks: results, events, failed, contactedExchange, exchangeError, durationMs };
  }

  /**
   * The monitors bound to their checks, their names and their distinct needs: built once for a
   * set of monitors and kept while the next round has the same ones (the same configuration
   * objects in the same order; a reload makes new objects for changed monitors), which saves
   * three passes over every monitor a round.
   */
  private planFor(monitors: readonly MonitorConfig[]): RoundPlan {
    const last = this.plan;
    if (last !== null && sameMonitors(last.monitors, monitors)) return last;
    const checks = monitors.map((monitor) => this.bind(monitor));
    this.plan = {
      monitors: monitors.slice(),
      checks,
      names: monitors.map((m) => m.name),
      needs: distinctNeeds(checks),
      okStatuses: okStatusesOf(monitors),
      checked: false,
    };
    return this.plan;
  }

  private bind(monitor: MonitorConfig): PolledCheck {
    let check = this.bound.get(monitor);
    if (check === undefined) {
      const driver = monitor.plugin.driver;
      if (driver.kind !== 'polled') throw new Error(`monitor "${monitor.name}" (mode ${monitor.mode}) is driven by a stream, not by rounds`);
      check = withLifecycle(monitor, driver.bind(monitor, this.deps.sources));
      this.bound.set(monitor, check);
    }
    return check;
  }

  private async fetchBaseline(symbols: ReadonlySet<string>, checkedAt: number): Promise<FetchedBaseline> {
    try {
      const baseline = await this.deps.baseline.openPrices([...symbols], checkedAt);
      return { available: true, symbols, openPrice: (symbol) => baseline.openPrices.get(symbol) };
    } catch (error) {
      this.deps.logger.warn(
        { symbols: symbols.size, reason: (error as Error).message },
        'could not fetch the 24-hour baseline; first checks run without a previous value (change conditions are not evaluable)',
      );
      // Unavailable for every symbol: no check asks again this round.
      return { available: false, symbols: null, openPrice: () => undefined };
    }
  }
}

/** Every check of a round in the monitors' order; a check that throws fails alone. */
function checkAll(
  checks: readonly PolledCheck[],
  names: readonly string[],
  states: ReadonlyArray<ReadonlyMap<string, SubjectState>>,
  inputs: RoundInputs,
): MonitorCheck[] {
  const results: MonitorCheck[] = new Array(checks.length);
  const probe = inputs.baseline instanceof BaselineProbe ? inputs.baseline : null;
  for (let i = 0; i < checks.length; i++) {
    probe?.checking(i);
    results[i] = checkOne(checks[i]!, names[i]!, states[i]!, inputs);
  }
  return results;
}

function checkOne(check: PolledCheck, name: string, states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs): MonitorCheck {
  try {
    return check.check(states, inputs);
  } catch (error) {
    return failedCheck(name, error);
  }
}

/** A baseline fetched for `symbols` (null: for every symbol, as when the fetch failed and none is available). */
interface FetchedBaseline extends BaselineSnapshot {
  readonly symbols: ReadonlySet<string> | null;
}

/** `first`, and `more` for the symbols `first` was not fetched for; available when both are. */
function merged(first: FetchedBaseline, more: FetchedBaseline): FetchedBaseline {
  const covers = (b: FetchedBaseline, symbol: string) => b.symbols === null || b.symbols.has(symbol);
  return {
    available: first.available && more.available,
    symbols: first.symbols === null || more.symbols === null ? null : new Set([...first.symbols, ...more.symbols]),
    openPrice: (symbol) => (covers(first, symbol) ? first.openPrice(symbol) : more.openPrice(symbol)),
  };
}

/** The symbols whose baseline a plan's first round needs, from the checks that can say (see run()). */
function baselineSymbolsOf(checks: readonly PolledCheck[], states: ReadonlyArray<ReadonlyMap<string, SubjectState>>, inputs: ReadInputs): Set<string> {
  const symbols = new Set<string>();
  for (let i = 0; i < checks.length; i++) {
    try {
      checks[i]!.baselineSymbols?.(states[i]!, inputs, symbols);
    } catch {
      // The check reports its own failure when it runs; whatever it asks then, the probe notes.
    }
  }
  return symbols;
}

/**
 * The round's baseline as the checks see it: what was fetched (`known`, or nothing yet)
 * answers for its symbols. A symbol it was not fetched for is noted, with the checks that
 * asked, and answered with no price: those checks run again once it is fetched. With nothing
 * fetched, a check that asks only whether there is a baseline is noted too (it is told yes).
 */
class BaselineProbe implements BaselineSnapshot {
  readonly asked = new Set<string>();
  /** The positions of the checks that consulted it, in order, each once. */
  readonly askedBy: number[] = [];
  private current = -1;

  constructor(private readonly known: FetchedBaseline | null) {}

  checking(position: number): void {
    this.current = position;
  }

  get available(): boolean {
    if (this.known !== null) return this.known.available;
    this.consulted();
    return true;
  }

  openPrice(symbol: string): number | undefined {
    const known = this.known;
    if (known !== null && (known.symbols === null || known.symbols.has(symbol))) return known.openPrice(symbol);
    this.asked.add(symbol);
    this.consulted();
    return undefined;
  }

  private consulted(): void {
    if (this.askedBy[this.askedBy.length - 1] !== this.current) this.askedBy.push(this.current);
  }
}

interface RoundPlan {
  /** A copy: the caller's array may change after the round. */
  monitors: readonly MonitorConfig[];
  checks: readonly PolledCheck[];
  names: readonly string[];
  needs: ReadonlyArray<Need<unknown>>;
  /** Each monitor's 'ok' status, shared by the plan's rounds (see buildCommit). */
  okStatuses: ReturnType<typeof okStatusesOf>;
  /** Whether a round of this plan has run its checks (its first asks for the baseline first, see run()). */
  checked: boolean;
}

function sameMonitors(a: readonly MonitorConfig[], b: readonly MonitorConfig[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
