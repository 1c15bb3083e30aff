/**
 * @module service/silence-book — the silences in effect, as the service routes events.
 *
 * Read from the store before every round and every second besides (a silence added by
 * `asterwatch silence add` in another process, or over HTTP, mutes within a second), so
 * routing an event — synchronous, inside a commit — never waits for the database.
 */
import type { Logger } from '../log/logger.js';
import { mutes, type Silence, type SilenceStore } from '../store/index.js';

const REFRESH_EVERY_MS = 1000;

export class SilenceBook {
  private active: Silence[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SilenceStore,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Whether an event of `monitor` about `subject` is muted now. */
  mutes(monitor: string, subject: string): boolean {
    if (this.active.length === 0) return false;
    const at = this.now();
    return this.active.some((s) => mutes(s, monitor, subject, at));
  }

  async refresh(): Promise<void> {
    try {
      this.active = await this.store.list(this.now());
    } catch (error) {
      // Keeps the last list: a failed read neither mutes nor unmutes anything new.
      this.logger.warn({ reason: (error as Error).message }, 'could not read the silences; using the last ones read');
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
