/**
 * @module service/status-line — one `info` line every `STATUS_INTERVAL` seconds (default 300;
 * 0 turns it off) saying how the service is doing, for a person reading a log file: monitors,
 * rounds (and failed ones), events raised, pending deliveries, feed connections.
 */
import { AsterwatchError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ServiceReadModel } from './read-model.js';

export const DEFAULT_STATUS_INTERVAL_SECONDS = 300;
const MAX_STATUS_INTERVAL_SECONDS = 86_400;

/** `STATUS_INTERVAL` in seconds (0: off); a clear error naming it otherwise. */
export function statusIntervalSeconds(raw: string | undefined = process.env.STATUS_INTERVAL): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_STATUS_INTERVAL_SECONDS;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0 || value > MAX_STATUS_INTERVAL_SECONDS)
    throw new AsterwatchError(
      'CONFIG_STATUS_INTERVAL',
      `STATUS_INTERVAL must be a whole number of seconds from 0 (off) to ${MAX_STATUS_INTERVAL_SECONDS}; got ${JSON.stringify(raw)}`,
    );
  return value;
}

export class StatusLine {
  private rounds = 0;
  private failedRounds = 0;
  private batches = 0;
  private events = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly service: ServiceReadModel,
    private readonly logger: Logger,
  ) {
    this.unsubscribe.push(
      service.hooks.on('round', (round) => {
        this.rounds++;
        if (round.failed.length > 0) this.failedRounds++;
        this.events += round.events.length;
      }),
      service.hooks.on('batch', (batch) => {
        this.batches++;
        this.events += batch.events.length;
      }),
    );
  }

  start(intervalSeconds: number): void {
    if (intervalSeconds === 0) return;
    this.timer = setInterval(() => void this.report(), intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Logs the line now (also what the timer does). */
  async report(): Promise<void> {
    try {
      const depth = await this.service.outboxDepth();
      const feeds = this.service.feeds();
      this.logger.info(
        {
          monitors: this.service.monitors.length,
          rounds: this.rounds,
          failedRounds: this.failedRounds,
          streamBatches: this.batches,
          events: this.events,
          pendingDeliveries: depth.reduce((n, d) => n + d.pending, 0),
          deadDeliveries: depth.reduce((n, d) => n + d.dead, 0),
          feedsConnected: feeds.filter((f) => f.connected).length,
          feeds: feeds.length,
        },
        'status',
      );
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'could not gather the status line');
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
