/**
 * @module service/service — wiring: configuration, store, exchange, rounds, outbox, scheduler.
 *
 * The one place that knows how the parts fit; each part knows only its neighbours'
 * interfaces. Used by `run` (start/stop) and `check` (one round now).
 */
import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig, unknownAssetProblems, type LoadedConfig, type MonitorConfig } from '../config/index.js';
import { Outbox } from '../delivery/outbox.js';
import { createSink } from '../delivery/sinks/registry.js';
import type { Sink } from '../delivery/sinks/sink.js';
import { AsterClient, ExchangeError, fetchExchangeInfo } from '../exchange/index.js';
import type { Logger } from '../log/logger.js';
import { RoundRunner, type RoundOutcome } from '../scheduler/round.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { MockAccountSource, SignedAccountSource, Ticker24hrBaselineSource, TickerPriceSource, type AccountSource } from '../sources/index.js';
import { SqliteStore } from '../store/index.js';

export const DEFAULT_STATE_PATH = './.asterwatch/state.db';

/** One monitor's latest check in this process. */
export interface MonitorRun {
  roundTime: number;
  checkedAt: number;
  durationMs: number;
  result: 'ok' | 'error';
  error: string | null;
  events: number;
}

export interface ServiceOptions {
  configPath: string;
  statePath: string;
  logger: Logger;
  /** Overrides ASTER_BASE_URL. */
  baseUrl?: string;
  /** Injected for tests. */
  now?: () => number;
}

export class Service {
  readonly scheduler: Scheduler;
  readonly outbox: Outbox;
  readonly runner: RoundRunner;
  readonly sinks: Map<string, Sink>;
  /** Called after every round (metrics, live stream). */
  readonly roundListeners: Array<(outcome: RoundOutcome) => void> = [];
  /** The latest check of each monitor in this process, for the API and readiness. */
  readonly lastRuns = new Map<string, MonitorRun>();
  /** The exchange as the latest round saw it: null before any round. */
  exchangeHealth: { ok: boolean; at: number; error: string | null } | null = null;
  readonly startedAt: number;
  private readonly accounts = new Map<string, AccountSource>();

  private constructor(
    readonly config: LoadedConfig,
    readonly store: SqliteStore,
    readonly client: AsterClient,
    readonly logger: Logger,
    now: () => number,
  ) {
    this.startedAt = now();
    const baseDir = dirname(resolve(config.file));
    this.sinks = new Map(Object.entries(config.sinks).map(([name, sinkConfig]) => [name, createSink(name, sinkConfig, { logger, baseDir, timeoutMs: 10_000 })]));
    for (const monitor of config.monitors) {
      if (monitor.portfolio === null) continue;
      const source = monitor.portfolio.credentials === null
        ? new MockAccountSource(monitor.name, monitor.portfolio.mockAccountData)
        : new SignedAccountSource(client, monitor.portfolio.credentials);
      this.accounts.set(monitor.name, source);
    }
    this.runner = new RoundRunner({
      prices: new TickerPriceSource(client, now),
      baseline: new Ticker24hrBaselineSource(client, logger),
      accountOf: (monitor) => this.accounts.get(monitor.name)!,
      store,
      logger,
      now,
      route: (monitor, severity) => monitor.notify.filter((name) => (this.sinks.get(name)?.minSeverity ?? 0) <= severity),
    });
    this.outbox = new Outbox(store, [...this.sinks.values()], logger, {
      deadAfterMs: config.outbox.deadAfterSeconds * 1000,
      deadAfterAttempts: config.outbox.deadAfterAttempts,
      now,
    });
    this.scheduler = new Scheduler(config.monitors, (slot, monitors) => this.runRound(slot, monitors), {
      logger,
      now,
      lastRoundOf: (name) => this.store.lastRoundOf(name),
    });
  }

  /** Loads the configuration and opens the state database. Throws ConfigError / StoreError. */
  static open(options: ServiceOptions): Service {
    const config = loadConfig(options.configPath);
    const store = SqliteStore.open(options.statePath);
    const client = new AsterClient({ ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }), logger: options.logger });
    return new Service(config, store, client, options.logger, options.now ?? Date.now);
  }

  /** Logs configuration warnings, then checks market assets against exchangeInfo (warns if unreachable). */
  async verify(): Promise<void> {
    for (const warning of this.config.warnings) this.logger.warn({ at: `${warning.ref.file}:${warning.ref.line}:${warning.ref.column}`, path: warning.ref.path }, warning.message);
    try {
      const info = await fetchExchangeInfo(this.client);
      const problems = unknownAssetProblems(this.config, info.symbols);
      if (problems.length > 0) throw new ConfigError(problems);
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      this.logger.warn({ reason: error.message }, 'could not read exchangeInfo; assets were not checked against the exchange and the default weight limit applies');
    }
  }

  /** Starts the outbox and the scheduler. */
  start(): void {
    this.outbox.start();
    this.scheduler.start();
  }

  /** One round for the given monitors (all by default) at `roundTime`. */
  async runRound(roundTime: number, monitors: MonitorConfig[] = this.config.monitors): Promise<RoundOutcome> {
    const outcome = await this.runner.run(roundTime, monitors);
    this.exchangeHealth = { ok: outcome.exchangeError === null, at: outcome.checkedAt, error: outcome.exchangeError };
    for (const check of outcome.checks) {
      this.lastRuns.set(check.monitor, {
        roundTime,
        checkedAt: outcome.checkedAt,
        durationMs: outcome.durationMs,
        result: check.errors.length > 0 ? 'error' : 'ok',
        error: check.errors.length > 0 ? check.errors.join('; ') : null,
        events: check.events.length,
      });
    }
    if (outcome.events.length > 0) this.outbox.notify();
    for (const listener of this.roundListeners) listener(outcome);
    return outcome;
  }

  /** Stops scheduling, lets running checks finish and the outbox flush (each bounded), closes the store. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.scheduler.stop();
    const finished = await this.scheduler.drain(timeoutMs);
    if (!finished) this.logger.warn({ timeoutMs }, 'some checks were still running at shutdown; their rounds will re-run at the next start');
    await this.outbox.drain(Math.min(timeoutMs, 5000));
    await this.outbox.stop();
    this.store.close();
  }
}

/** `--state`, else ASTERWATCH_STATE, else ./.asterwatch/state.db. */
export function resolveStatePath(flag: string | undefined): string {
  return flag ?? process.env.ASTERWATCH_STATE ?? DEFAULT_STATE_PATH;
}

/** `--config`, else ASTERWATCH_CONFIG, else ./monitors.yaml. */
export function resolveConfigPath(flag: string | undefined): string {
  return flag ?? process.env.ASTERWATCH_CONFIG ?? 'monitors.yaml';
}

