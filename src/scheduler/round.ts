/**
 * @module scheduler/round — one round: fetch once, measure every due monitor, commit once.
 *
 * Whatever the number of monitors, a round makes one ticker request, one account
 * request per distinct account, and at most one baseline fetch (itself the cheaper of
 * per-symbol and all-symbols). A monitor whose account fails does not affect the others.
 */
import type { MonitorConfig } from '../config/index.js';
import type { Balance } from '../exchange/index.js';
import type { Logger } from '../log/logger.js';
import { MODES } from '../modes/registry.js';
import type { BaselineInputs, MonitorCheck, RoundInputs } from '../modes/mode.js';
import type { AccountSource, BaselineSource, PriceSource } from '../sources/index.js';
import type { RoundCommit, SqliteStore, StoredEvent, SubjectState } from '../store/index.js';

export interface RoundDependencies {
  prices: PriceSource;
  baseline: BaselineSource;
  /** The account source of a portfolio monitor. */
  accountOf(monitor: MonitorConfig): AccountSource;
  store: SqliteStore;
  logger: Logger;
  /** The sinks an event goes to: the monitor's `notify` less sinks whose min_severity is above it. */
  route(monitor: MonitorConfig, severity: number): string[];
  now?: () => number;
}

export interface RoundOutcome {
  roundTime: number;
  checkedAt: number;
  checks: MonitorCheck[];
  /** Events newly written to the outbox (a re-run round's events are not repeated). */
  events: StoredEvent[];
  /** Monitors whose check failed (in whole or in part). */
  failed: string[];
  /** Why the round's price snapshot could not be taken (the exchange is unreachable or misbehaving), or null. */
  exchangeError: string | null;
  /** From the round's start to its commit. */
  durationMs: number;
}

export class RoundRunner {
  private readonly now: () => number;

  constructor(private readonly deps: RoundDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** Runs one round for `monitors`, identified by `roundTime` (the slot, or the invocation time for `check`). */
  async run(roundTime: number, monitors: readonly MonitorConfig[]): Promise<RoundOutcome> {
    const { store, logger } = this.deps;
    const checkedAt = this.now();
    const states = store.statesOfMany(monitors.map((m) => m.name));

    let checks: MonitorCheck[];
    let exchangeError: string | null = null;
    try {
      const prices = await this.deps.prices.snapshot();
      const balances = await this.fetchBalances(monitors);
      const inputs: RoundInputs = {
        roundTime,
        checkedAt,
        prices,
        balances: (monitor) => balances.get(this.deps.accountOf(monitor).key) ?? new Error('account not fetched'),
      };
      const baseline = await this.fetchBaseline(monitors, states, inputs);
      checks = monitors.map((monitor) => {
        try {
          return MODES[monitor.mode].check(monitor, states.get(monitor.name)!, inputs, baseline);
        } catch (error) {
          return failedCheck(monitor.name, error);
        }
      });
    } catch (error) {
      // No prices: every monitor of the round fails, each logged by name, retried next round.
      exchangeError = error instanceof Error ? error.message : String(error);
      checks = monitors.map((monitor) => failedCheck(monitor.name, error));
    }

    // One pass builds the whole commit: a round can hold 10,000 monitors.
    const commit: RoundCommit = { roundTime, checkedAt, states: [], statuses: [], events: [] };
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const monitor = monitors[i]!;
      for (const state of check.states) commit.states.push(state);
      const failedCheck = check.errors.length > 0;
      commit.statuses.push({ monitor: check.monitor, result: failedCheck ? 'error' : 'ok', error: failedCheck ? check.errors.join('; ') : null });
      for (const event of check.events) {
        const severity = event.data.severity;
        commit.events.push({ event, monitor: check.monitor, severity, sinks: this.deps.route(monitor, severity) });
      }
    }
    const events = store.commitRound(commit);

    const failed: string[] = [];
    for (const check of checks) {
      for (const warning of check.warnings) logger.warn({ monitor: check.monitor }, warning);
      if (check.errors.length > 0) {
        failed.push(check.monitor);
        logger.error({ monitor: check.monitor, errors: check.errors }, `check of monitor "${check.monitor}" failed; retrying next round: ${check.errors.join('; ')}`);
      }
    }
    const durationMs = this.now() - checkedAt;
    logger.debug({ roundTime: new Date(roundTime).toISOString(), monitors: monitors.length, events: events.length, failed: failed.length, ms: durationMs }, 'round done');
    return { roundTime, checkedAt, checks, events, failed, exchangeError, durationMs };
  }

  private async fetchBalances(monitors: readonly MonitorConfig[]): Promise<Map<string, Balance[] | Error>> {
    const sources = new Map<string, AccountSource>();
    for (const monitor of monitors) {
      if (monitor.mode !== 'portfolio') continue;
      const source = this.deps.accountOf(monitor);
      sources.set(source.key, source);
    }
    const entries = await Promise.all([...sources].map(async ([key, source]): Promise<[string, Balance[] | Error]> => {
      try {
        return [key, await source.balances()];
      } catch (error) {
        return [key, error instanceof Error ? error : new Error(String(error))];
      }
    }));
    return new Map(entries);
  }

  private async fetchBaseline(monitors: readonly MonitorConfig[], states: Map<string, ReadonlyMap<string, SubjectState>>, inputs: RoundInputs): Promise<BaselineInputs> {
    const symbols = new Set<string>();
    for (const monitor of monitors) MODES[monitor.mode].collectBaselineSymbols(monitor, states.get(monitor.name)!, inputs, symbols);
    if (symbols.size === 0) return { available: true, openPrice: () => undefined };
    try {
      const baseline = await this.deps.baseline.openPrices([...symbols]);
      return { available: true, openPrice: (symbol) => baseline.openPrices.get(symbol) };
    } catch (error) {
      this.deps.logger.warn({ symbols: symbols.size, reason: (error as Error).message }, 'could not fetch the 24-hour baseline; first checks run without a previous value (change conditions are not evaluable)');
      return { available: false, openPrice: () => undefined };
    }
  }
}

function failedCheck(monitor: string, error: unknown): MonitorCheck {
  return { monitor, states: [], events: [], subjects: [], errors: [error instanceof Error ? error.message : String(error)], warnings: [] };
}
