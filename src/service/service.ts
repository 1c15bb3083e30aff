/**
 * @module service/service — wiring: configuration, store, exchange, rounds, streams, outbox.
 *
 * The one place that knows how the parts fit; each part knows only its neighbours'
 * interfaces. Used by `run` (start/stop) and `check` (one round now). The HTTP surface
 * sees it only through `ServiceReadModel`.
 */
import { dirname, resolve } from 'node:path';
import { AsterwatchError } from '../errors.js';
import { ConfigError, loadConfig, verifyAgainstExchange, type LoadedConfig, type MonitorConfig } from '../config/index.js';
import { Outbox } from '../delivery/outbox.js';
import { createSink } from '../delivery/sinks/registry.js';
import type { Sink } from '../delivery/sinks/sink.js';
import { renderTelegramMessage } from '../delivery/sinks/telegram-message.js';
import { AsterClient, asterFuturesClient, ExchangeError, fetchFuturesSymbols } from '../exchange/index.js';
import { Hooks } from '../hooks.js';
import type { Logger } from '../log/logger.js';
import { MODES, type ModeRegistry } from '../modes/registry.js';
import { RoundRunner, type RoundOutcome } from '../scheduler/round.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { StreamDriver } from '../scheduler/stream-driver.js';
import { ExchangeInfoCache, liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../sources/index.js';
import {
  openStore,
  type MonitorStatus,
  type LiquidationStore,
  type OutboxDepth,
  type SilenceStore,
  type Store,
  type StoreHealth,
  type SubjectState,
} from '../store/index.js';
import { LIQUIDATION_DEFAULTS } from '../config/liquidations.js';
import { FeedCatalog } from '../streams/liquidations/feed-catalog.js';
import { LiquidationFeed } from '../streams/liquidations/feed.js';
import type { FeedStatus } from '../streams/stream-source.js';
import type { ExchangeView, MonitorRun, ServiceEvents, ServiceReadModel } from './read-model.js';
import type { AlertEvent } from '../events/index.js';
import { IdleCollector, type IdleCollection } from './idle-collector.js';
import { SilenceBook } from './silence-book.js';
import { sendTestEvent, type TestOutcome } from '../delivery/test-sink.js';

export type { MonitorRun } from './read-model.js';

export const DEFAULT_STATE_PATH = './.asterwatch/state.db';

/** How long one delivery may take before it counts as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often retention runs. */
const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface ServiceOptions {
  configPath: string;
  statePath: string;
  logger: Logger;
  /** Overrides ASTER_BASE_URL. */
  baseUrl?: string;
  /** Injected for tests. */
  now?: () => number;
  /** The modes monitors may use (default: the built-in ones). */
  modes?: ModeRegistry;
  /** Accept an empty (0-byte) state file as a new database (`--fresh-state`). */
  freshState?: boolean;
  /** A full collection in the idle time after rounds (service/idle-collector.ts); what `tuneHeapForService()` returns. */
  idleCollection?: IdleCollection;
}

export class Service implements ServiceReadModel {
  readonly scheduler: Scheduler;
  /** Replaced by a reload that changes the liquidation monitors. */
  streams: StreamDriver;
  /** Replaced by a reload that changes the sinks. */
  outbox: Outbox;
  /** The configuration running now (a reload replaces it). */
  private current: LoadedConfig;
  /** When the running configuration was loaded (ms). */
  configLoadedAt: number;
  /** Reloads of the configuration, by result (asterwatch_config_reloads_total). */
  readonly configReloads: Record<'success' | 'failure', number> = { success: 0, failure: 0 };
  private readonly catalog: FeedCatalog;
  private readonly route: (monitor: MonitorConfig, severity: number, event: AlertEvent) => string[];
  private readonly render: (event: AlertEvent) => string;
  readonly runner: RoundRunner;
  readonly sinks: Map<string, Sink>;
  readonly hooks: Hooks<ServiceEvents>;
  /** The silences in effect, as routing sees them. */
  readonly silences: SilenceBook;
  readonly startedAt: number;
  private readonly runs = new Map<string, MonitorRun>();
  /** Collects garbage after rounds, when asked for (ServiceOptions.idleCollection). */
  idleCollector: IdleCollector | null = null;
  private exchangeHealth: ExchangeView['health'] = null;
  private retention: NodeJS.Timeout | null = null;
  /** The recorded liquidation feed, when configured. */
  readonly liquidationFeed: LiquidationFeed | null;
  /** exchangeInfo, read once an hour: start-up verification and the rounds share it. */
  private readonly exchangeInfo: ExchangeInfoCache;
  /** Aster's futures market (accounts, positions): its own weight budget, apart from spot's. */
  readonly futuresClient: AsterClient;

  private constructor(
    config: LoadedConfig,
    readonly store: Store,
    readonly client: AsterClient,
    readonly logger: Logger,
    readonly modes: ModeRegistry,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    this.current = config;
    this.configLoadedAt = this.startedAt;
    this.hooks = new Hooks<ServiceEvents>((name, error) => logger.error({ err: error, hook: String(name) }, 'an observer failed'));
    this.render = (event) => renderTelegramMessage(event, modes);
    this.sinks = this.buildSinks(config);
    this.silences = new SilenceBook(store.silences, logger, now);
    const route = (this.route = (monitor: MonitorConfig, severity: number, event: AlertEvent) => {
      // Silenced: recorded (marked) but delivered nowhere.
      if (this.silences.mutes(monitor.name, event.subject)) {
        (event.data as unknown as Record<string, unknown>).silenced = true;
        return [];
      }
      return monitor.notify.filter((name) => (this.sinks.get(name)?.minSeverity ?? 0) <= severity);
    });
    this.exchangeInfo = new ExchangeInfoCache(client, now);
    this.futuresClient = asterFuturesClient({ logger });
    this.runner = new RoundRunner({
      sources: liveCatalog(client, new TickerPriceSource(client, now), this.exchangeInfo, {
        client: this.futuresClient,
        readings: store.readings,
        logger,
        now,
      }),
      baseline: new Ticker24hrBaselineSource(client, logger),
      store,
      logger,
      now,
      route,
    });
    this.outbox = this.buildOutbox(config);
    const polled = config.monitors.filter((m) => m.plugin.driver.kind === 'polled');
    const streamed = config.monitors.filter((m) => m.plugin.driver.kind === 'streamed');
    this.scheduler = new Scheduler(polled, (slot, monitors) => this.runRound(slot, monitors), { logger, now });
    // Monitors are bound first: the venues they listen to are part of what the feed connects to.
    const section = config.liquidations;
    const catalog = (this.catalog = new FeedCatalog(section?.venues ?? LIQUIDATION_DEFAULTS.venues, store.liquidations, (venue, kept) =>
      logger.warn({ venue, kept }, 'a liquidation monitor asked for more history than is kept in memory; its windows start from the newest part'),
    ));
    this.streams = new StreamDriver(streamed, { store, logger, route, now, hooks: this.hooks, catalog });
    const venues = [...new Set([...(section?.venues ?? []), ...catalog.venues])];
    this.liquidationFeed =
      venues.length === 0
        ? null
        : new LiquidationFeed({
            venues,
            store: store.liquidations,
            logger,
            lifetimeSeconds: section?.lifetimeSeconds ?? LIQUIDATION_DEFAULTS.lifetimeSeconds,
            now,
            hooks: this.hooks,
          });
    if (this.liquidationFeed !== null) catalog.attach(this.liquidationFeed);
    this.hooks.on('batch', (batch) => {
      if (batch.events.length > 0) this.outbox.notify();
    });
  }

  /** Loads the configuration and opens the state database. Throws ConfigError / StoreError. */
  static open(options: ServiceOptions): Service {
    const modes = options.modes ?? MODES;
    const config = loadConfig(options.configPath, { modes });
    const store = openStore(options.statePath, { fresh: options.freshState === true });
    const client = new AsterClient({ ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }), logger: options.logger });
    const service = new Service(config, store, client, options.logger, modes, options.now ?? Date.now);
    if (options.idleCollection !== undefined) service.idleCollector = new IdleCollector(options.idleCollection);
    return service;
  }

  /** The exchange's spot symbols (exchangeInfo, read at most hourly): what a reload is verified against. */
  exchangeSymbols(): ReturnType<ExchangeInfoCache['get']> {
    return this.exchangeInfo.get();
  }

  get config(): LoadedConfig {
    return this.current;
  }

  get monitors(): readonly MonitorConfig[] {
    return this.current.monitors;
  }

  private buildSinks(config: LoadedConfig): Map<string, Sink> {
    const baseDir = dirname(resolve(config.file));
    return new Map(
      Object.entries(config.sinks).map(([name, sinkConfig]) => [
        name,
        createSink(name, sinkConfig, { logger: this.logger, baseDir, timeoutMs: DELIVERY_TIMEOUT_MS, renderTelegram: this.render }),
      ]),
    );
  }

  private buildOutbox(config: LoadedConfig): Outbox {
    return new Outbox(this.store, [...this.sinks.values()], this.logger, {
      deadAfterMs: config.outbox.deadAfterSeconds * 1000,
      deadAfterAttempts: config.outbox.deadAfterAttempts,
      leaseMs: DELIVERY_TIMEOUT_MS + 5000,
      now: this.now,
      hooks: this.hooks,
    });
  }

  /**
   * Replaces the running configuration with `next` (already loaded and verified) between
   * rounds: monitors whose definition did not change keep their object — so their state,
   * schedule and in-memory bindings — while changed ones start over (their state is dropped, a
   * new condition being a new alert); changed and new ones run at once (round time: the
   * reload's moment), then at their slots; removed ones stop and their state goes. Sinks and the outbox are rebuilt when the sinks changed; liquidation
   * monitors are restarted when they changed (their windows are rebuilt from the recorded feed).
   * Throws ReloadRefusedError, changing nothing, when the change needs a restart.
   */
  async reload(next: LoadedConfig): Promise<ReloadSummary> {
    const before = new Map(this.current.monitors.map((m) => [m.name, m]));
    const summary: ReloadSummary = { added: [], changed: [], removed: [], unchanged: [], sinksChanged: false, restartNeeded: [] };
    const monitors = next.monitors.map((m) => {
      const old = before.get(m.name);
      if (old === undefined) summary.added.push(m.name);
      else if (old.definition !== undefined && old.definition === m.definition) {
        summary.unchanged.push(m.name);
        return old;
      } else summary.changed.push(m.name);
      return m;
    });
    const names = new Set(next.monitors.map((m) => m.name));
    for (const name of before.keys()) if (!names.has(name)) summary.removed.push(name);
    summary.sinksChanged = JSON.stringify(this.current.sinks) !== JSON.stringify(next.sinks);
    for (const [section, changed] of [
      ['liquidations', JSON.stringify(this.current.liquidations) !== JSON.stringify(next.liquidations)],
      ['outbox', JSON.stringify(this.current.outbox) !== JSON.stringify(next.outbox)],
    ] as const)
      if (changed) summary.restartNeeded.push(section);

    const streamedBefore = this.current.monitors.filter((m) => m.plugin.driver.kind === 'streamed');
    const streamed = monitors.filter((m) => m.plugin.driver.kind === 'streamed');
    const streamsChanged = streamed.length !== streamedBefore.length || streamed.some((m, i) => m !== streamedBefore[i]);
    let nextStreams: StreamDriver | null = null;
    if (streamsChanged) {
      nextStreams = new StreamDriver(streamed, {
        store: this.store,
        logger: this.logger,
        route: this.route,
        now: this.now,
        hooks: this.hooks,
        catalog: this.catalog,
      });
      const listened = new Set(this.liquidationFeed?.venues ?? []);
      const missing = this.catalog.venues.filter((v) => !listened.has(v));
      if (missing.length > 0)
        throw new ReloadRefusedError(
          `liquidation monitors now listen to ${missing.join(', ')}, which the running feed does not connect to; restart asterwatch to apply this configuration`,
        );
    }

    // No round may commit for a monitor whose state is being dropped: rounds pause and drain first.
    this.scheduler.stop();
    await this.scheduler.drain(10_000);
    const dropped = [...summary.changed, ...summary.removed];
    if (dropped.length > 0) await this.store.forgetMonitorsExcept(monitors.map((m) => m.name).filter((n) => !summary.changed.includes(n)));
    const lastRounds = new Map<string, number | null>();
    for (const m of monitors) lastRounds.set(m.name, await this.store.lastRoundOf(m.name));
    if (summary.sinksChanged) {
      await this.outbox.drain(2000);
      await this.outbox.stop(1000);
      for (const sink of this.sinks.values()) await sink.close?.();
      this.sinks.clear();
      for (const [name, sink] of this.buildSinks(next)) this.sinks.set(name, sink);
      this.outbox = this.buildOutbox(next);
      this.outbox.start();
    }
    // Sections only a restart applies keep their running values (the reload's log line names them).
    this.current = { ...next, monitors, liquidations: this.current.liquidations, outbox: this.current.outbox };
    this.configLoadedAt = this.now();
    this.scheduler.replace(monitors.filter((m) => m.plugin.driver.kind === 'polled'));
    if (nextStreams !== null) {
      await this.streams.stop();
      this.streams = nextStreams;
      await this.streams.start((name) => lastRounds.get(name) ?? null);
    }
    this.hooks.emit('reload');
    return summary;
  }

  get events() {
    return this.store.events;
  }

  /** Logs configuration warnings, then checks symbols against the exchange's lists (warns for a list it cannot read). */
  async verify(): Promise<void> {
    for (const warning of this.config.warnings)
      this.logger.warn({ at: `${warning.ref.file}:${warning.ref.line}:${warning.ref.column}`, path: warning.ref.path }, warning.message);
    const verification = await verifyAgainstExchange(
      this.config,
      {
        spot: async () => (await this.exchangeInfo.get()).symbols,
        futures: (venue) => fetchFuturesSymbols(venue, { logger: this.logger }),
      },
      (error): error is Error => error instanceof ExchangeError,
    );
    if (verification.problems.length > 0) throw new ConfigError(verification.problems);
    for (const reason of verification.unchecked)
      this.logger.warn({ reason }, 'could not read a symbol list; those symbols were not checked against the exchange (and the default weight limit applies)');
  }

  /**
   * Starts the outbox, the stream driver and the scheduler (with catch-up of missed slots),
   * after dropping the state of monitors no longer configured; retention runs now and hourly.
   */
  async start(): Promise<void> {
    const forgotten = await this.store.forgetMonitorsExcept(this.config.monitors.map((m) => m.name));
    if (forgotten > 0) this.logger.info({ monitors: forgotten }, 'dropped the state of monitors no longer in the configuration');
    await this.prune();
    this.retention = setInterval(() => void this.prune(), RETENTION_EVERY_MS);
    this.retention.unref();
    const lastRounds = new Map<string, number | null>();
    for (const monitor of this.config.monitors) lastRounds.set(monitor.name, await this.store.lastRoundOf(monitor.name));
    await this.silences.refresh();
    this.silences.start();
    this.outbox.start();
    await this.liquidationFeed?.start();
    await this.streams.start((name) => lastRounds.get(name) ?? null);
    this.scheduler.start((name) => lastRounds.get(name) ?? null);
  }

  /** One round for the given polled monitors (all by default) at `roundTime`. */
  async runRound(
    roundTime: number,
    monitors: readonly MonitorConfig[] = this.config.monitors.filter((m) => m.plugin.driver.kind === 'polled'),
  ): Promise<RoundOutcome> {
    this.idleCollector?.roundStarted();
    let outcome: RoundOutcome;
    try {
      await this.silences.refresh();
      outcome = await this.runner.run(roundTime, monitors);
    } finally {
      this.idleCollector?.roundEnded();
    }
    if (outcome.contactedExchange) this.exchangeHealth = { ok: outcome.exchangeError === null, at: outcome.checkedAt, error: outcome.exchangeError };
    // Each monitor's run is updated in place: a new object per monitor per round was ~190 bytes
    // of a round's garbage at 10,000 monitors (issue 16). Readers take what they need at once.
    const { checks, checkedAt, durationMs } = outcome;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const failed = check.errors.length > 0;
      const run = this.runs.get(check.monitor);
      const details = detailsOf(check);
      if (run === undefined) {
        this.runs.set(check.monitor, {
          roundTime,
          checkedAt,
          durationMs,
          result: failed ? 'error' : 'ok',
          error: failed ? check.errors.join('; ') : null,
          events: check.events.length,
          details,
        });
        continue;
      }
      run.roundTime = roundTime;
      run.checkedAt = checkedAt;
      run.durationMs = durationMs;
      run.result = failed ? 'error' : 'ok';
      run.error = failed ? check.errors.join('; ') : null;
      run.events = check.events.length;
      run.details = details;
    }
    if (outcome.events.length > 0) this.outbox.notify();
    this.hooks.emit('round', outcome);
    return outcome;
  }

  /**
   * Stops scheduling and streams, lets running checks finish and the outbox flush (each
   * bounded), closes the store. Rounds still running at the deadline are abandoned: their
   * exchange requests are aborted and they write nothing (their slots re-run at the next
   * start), so nothing outlives the store or keeps the process alive.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.retention !== null) clearInterval(this.retention);
    this.idleCollector?.stop();
    this.silences.stop();
    this.scheduler.stop();
    await this.streams.stop();
    await this.liquidationFeed?.stop();
    const finished = await this.scheduler.drain(timeoutMs);
    this.runner.abandon();
    this.client.close();
    this.futuresClient.close();
    if (!finished) {
      this.logger.warn({ timeoutMs }, 'some checks were still running at the shutdown deadline; they were abandoned and their rounds re-run at the next start');
      await this.scheduler.drain(1000);
    }
    // At most 5 s for the outbox: 4 s to deliver what is due, 1 s for a delivery in flight.
    await this.outbox.drain(Math.min(timeoutMs, 4000));
    await this.outbox.stop(Math.min(timeoutMs, 1000));
    await this.store.close();
  }

  // ---- the read model (ServiceReadModel) --------------------------------------------

  statesOf(monitor: string): Promise<ReadonlyMap<string, SubjectState>> {
    return this.store.statesOf(monitor);
  }

  monitorStatuses(): Promise<ReadonlyMap<string, MonitorStatus>> {
    return this.store.monitorStatuses();
  }

  lastRoundOf(monitor: string): Promise<number | null> {
    return this.store.lastRoundOf(monitor);
  }

  lastRun(monitor: string): MonitorRun | undefined {
    return this.runs.get(monitor);
  }

  nextRuns(): ReadonlyMap<string, number> {
    return this.scheduler.nextRuns();
  }

  outboxDepth(): Promise<OutboxDepth[]> {
    return this.store.outbox.depth([...this.sinks.keys()]);
  }

  /** Deletes events older than `retention_days` whose deliveries are settled (pending ones are kept, whatever their age). */
  private async prune(): Promise<void> {
    try {
      const removed = await this.store.prune(this.now() - this.config.retentionDays * DAY_MS);
      if (removed.events > 0) this.logger.info({ ...removed, retentionDays: this.config.retentionDays }, 'deleted events older than the retention period');
      // Readings serve as 24 h baselines: two days is all that is ever read.
      await this.store.readings.prune(this.now() - 2 * DAY_MS);
      // Silences are kept a week after they end (`silence list --all` shows them), then deleted.
      await this.store.silences.prune(this.now() - 7 * DAY_MS);
      // Recorded liquidations are kept retention_hours, whether the section or only a monitor started the feed.
      if (this.liquidationFeed !== null) {
        const retentionHours = this.config.liquidations?.retentionHours ?? LIQUIDATION_DEFAULTS.retentionHours;
        const liquidations = await this.store.liquidations.prune(this.now() - retentionHours * 3_600_000);
        if (liquidations > 0) this.logger.info({ liquidations, retentionHours }, 'deleted liquidations older than the retention period');
      }
    } catch (error) {
      this.logger.error({ err: error }, 'could not delete old events; retrying in an hour');
    }
  }

  exchange(): ExchangeView {
    return { health: this.exchangeHealth, budget: this.client.budget.stats(), requests: this.client.stats.byPath, weightSent: this.client.stats.weightSent };
  }

  feeds(): FeedStatus[] {
    // A liquidation monitor's source is the recorded feed's connection: listed once.
    const all = [...(this.liquidationFeed?.statuses() ?? []), ...this.streams.feeds()];
    return all.filter((status, i) => all.findIndex((s) => s.feed === status.feed) === i);
  }

  get liquidations(): LiquidationStore {
    return this.store.liquidations;
  }

  storeHealth(): Promise<StoreHealth> {
    return this.store.health();
  }

  schedulerOverruns(): number {
    return this.scheduler.stats.overruns;
  }

  schedulerFailure(): string | null {
    return this.scheduler.failureReason;
  }

  get silenceStore(): SilenceStore {
    return this.store.silences;
  }

  refreshSilences(): Promise<void> {
    return this.silences.refresh();
  }

  sinkList(): Array<{ name: string; type: string; minSeverity: number }> {
    return [...this.sinks.values()].map((s) => ({ name: s.name, type: s.type, minSeverity: s.minSeverity }));
  }

  async testSink(name: string): Promise<TestOutcome | null> {
    const sink = this.sinks.get(name);
    return sink === undefined ? null : sendTestEvent(sink, this.now);
  }
}

/** What a reload changed, for its log line. */
export interface ReloadSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  sinksChanged: boolean;
  /** Sections whose change only a restart applies (they are left as they were). */
  restartNeeded: string[];
}

/** A valid configuration that cannot be applied without a restart. */
export class ReloadRefusedError extends AsterwatchError {
  constructor(message: string) {
    super('CONFIG_RELOAD', message);
  }
}

/** The words a mode gave its subjects, when it gave any (most modes do not: no map per monitor per round). */
function detailsOf(check: RoundOutcome['checks'][number]): ReadonlyMap<string, string> | undefined {
  let details: Map<string, string> | undefined;
  for (let i = 0; i < check.subjects.length; i++) {
    const subject = check.subjects[i]!;
    if (subject.detail === undefined) continue;
    (details ??= new Map()).set(subject.subject, subject.detail);
  }
  return details;
}

/** `--state`, else ASTERWATCH_STATE, else ./.asterwatch/state.db. */
export function resolveStatePath(flag: string | undefined): string {
  return flag ?? process.env.ASTERWATCH_STATE ?? DEFAULT_STATE_PATH;
}

/** `--config`, else ASTERWATCH_CONFIG, else ./monitors.yaml. */
export function resolveConfigPath(flag: string | undefined): string {
  return flag ?? process.env.ASTERWATCH_CONFIG ?? 'monitors.yaml';
}
