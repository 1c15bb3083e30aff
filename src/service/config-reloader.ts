/**
 * @module service/config-reloader — `run` reloads monitors.yaml when the file changes and on
 * SIGHUP. A valid configuration replaces the running one without a restart; an invalid one is
 * refused with every problem logged, and the running one goes on.
 *
 * The file's directory is watched, not the file: editors save by writing a new file and
 * renaming it over the old one, which a watch on the file itself would lose. Changes are
 * debounced (an editor's several writes are one reload), reloads never overlap (one asked for
 * during another runs after it), and nothing reloads once shutdown began.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, loadConfig, verifyAgainstExchange } from '../config/index.js';
import { formatProblem } from '../config/errors.js';
import { ExchangeError, fetchFuturesSymbols } from '../exchange/index.js';
import type { Logger } from '../log/logger.js';
import type { ModeRegistry } from '../modes/registry.js';
import type { Service } from './service.js';

const DEBOUNCE_MS = 300;

export type ReloadResult = 'success' | 'failure';

export class ConfigReloader {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly onHangup = () => this.request('SIGHUP');

  constructor(
    private readonly service: Service,
    private readonly path: string,
    private readonly logger: Logger,
    private readonly modes?: ModeRegistry,
  ) {}

  start(): void {
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(resolve(this.path)), { persistent: false }, (_event, name) => {
        if (name === null || name.toString() === file) this.request('file change');
      });
      this.watcher.on('error', (error) => this.logger.warn({ reason: error.message }, 'stopped watching the configuration file; SIGHUP still reloads it'));
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'cannot watch the configuration file; SIGHUP still reloads it');
    }
    process.on('SIGHUP', this.onHangup);
  }

  /** Stops watching; a reload under way finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer !== null) clearTimeout(this.timer);
    process.off('SIGHUP', this.onHangup);
    await this.running;
  }

  /** Asks for a reload (debounced). */
  request(reason: string): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.logger.info({ reason }, 'reloading the configuration');
      void this.run();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Reloads now (after the one under way, if any). */
  async run(): Promise<ReloadResult | null> {
    if (this.running !== null) {
      this.again = true;
      await this.running;
      return null;
    }
    let result: ReloadResult = 'failure';
    this.running = (async () => {
      result = await this.reloadOnce();
    })();
    await this.running;
    this.running = null;
    if (this.again && !this.stopped) {
      this.again = false;
      await this.run();
    }
    return result;
  }

  private async reloadOnce(): Promise<ReloadResult> {
    if (this.stopped) return 'failure';
    try {
      const next = loadConfig(this.path, this.modes === undefined ? {} : { modes: this.modes });
      const verification = await verifyAgainstExchange(
        next,
        { spot: async () => (await this.service.exchangeSymbols()).symbols, futures: (venue) => fetchFuturesSymbols(venue, { logger: this.logger }) },
        (error): error is Error => error instanceof ExchangeError,
      );
      if (verification.problems.length > 0) throw new ConfigError(verification.problems);
      for (const reason of verification.unchecked)
        this.logger.warn({ reason }, 'could not read a symbol list; the new symbols were not checked against the exchange');
      if (this.stopped) return 'failure';
      const summary = await this.service.reload(next);
      for (const warning of next.warnings)
        this.logger.warn({ at: `${warning.ref.file}:${warning.ref.line}:${warning.ref.column}`, path: warning.ref.path }, warning.message);
      if (summary.restartNeeded.length > 0)
        this.logger.warn(
          { sections: summary.restartNeeded },
          `changes to ${summary.restartNeeded.join(' and ')} take effect at the next restart; the running values are kept`,
        );
      this.logger.info(
        { added: summary.added, changed: summary.changed, removed: summary.removed, unchanged: summary.unchanged.length, sinksChanged: summary.sinksChanged },
        'configuration reloaded',
      );
      this.service.configReloads.success++;
      return 'success';
    } catch (error) {
      this.service.configReloads.failure++;
      if (error instanceof ConfigError) {
        for (const p of error.problems) this.logger.error({ at: `${p.file}:${p.line}:${p.column}`, path: p.path }, formatProblem(p));
        this.logger.error(
          { problems: error.problems.length },
          `the new configuration has ${error.problems.length} problem(s); it was refused and the running one is kept`,
        );
      } else {
        this.logger.error({ reason: (error as Error).message }, 'the new configuration was refused; the running one is kept');
      }
      return 'failure';
    }
  }
}
