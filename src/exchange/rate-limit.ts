/**
 * @module exchange/rate-limit — request weight per minute, and host-wide back-off windows.
 *
 * The exchange counts weight per IP per wall-clock minute. This budget reserves a
 * request's weight before it is sent and waits for the next minute rather than cross
 * the limit — however many minutes that takes: nothing is ever sent over it. A request
 * heavier than the whole limit can never be sent and fails at once. The
 * `X-MBX-USED-WEIGHT-1M` header corrects the count (it includes other processes on the
 * same IP). A 429/418 opens a window in which no request goes out.
 */
import type { Logger } from '../log/logger.js';
import type { Clock } from './clock.js';
import { ExchangeWeightError } from './errors.js';

const MINUTE_MS = 60_000;
/** Waits longer than this are worth an info line: a round is visibly late. */
const NOTABLE_WAIT_MS = 1000;

/** The documented default until exchangeInfo says otherwise. */
export const DEFAULT_WEIGHT_LIMIT = 6000;

export interface BlockWindow {
  until: number;
  /** 'rate-limited' (429) or 'banned' (418). */
  reason: 'rate-limited' | 'banned';
}

export interface WeightStats {
  usedWeight: number;
  limit: number;
  waits: number;
  waitedMs: number;
}

export class WeightBudget {
  private limit = DEFAULT_WEIGHT_LIMIT;
  private minuteStart = 0;
  private used = 0;
  private block: BlockWindow | null = null;
  /** The minute for which a long wait was last logged at info (one line per minute, not per waiting request). */
  private waitLoggedFor = -1;
  /** Whether the open window's warning already said that a Retry-After was clamped. */
  private clampLogged = false;
  /** Times a request had to wait for weight or a back-off window. */
  waits = 0;
  waitedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Sets the per-minute limit (from exchangeInfo `rateLimits`). */
  setLimit(limit: number): void {
    if (Number.isFinite(limit) && limit > 0) this.limit = limit;
  }

  get weightLimit(): number {
    return this.limit;
  }

  /** Weight used in the current minute, as far as this process knows. */
  get usedWeight(): number {
    this.roll();
    return this.used;
  }

  /** The open back-off window, if any. */
  currentBlock(): BlockWindow | null {
    if (this.block !== null && this.clock.now() >= this.block.until) this.block = null;
    return this.block;
  }

  /**
   * Reserves `weight` for `endpoint`, waiting for the next minute as often as needed
   * rather than cross the limit. Each wait ends at a minute boundary, where the count
   * starts again, so the loop ends as soon as no other request takes the new minute
   * first. Throws ExchangeWeightError when the weight exceeds the whole limit (it would
   * wait forever). Back-off windows are the caller's (it decides to wait or fail).
   */
  async reserve(weight: number, endpoint = 'a request'): Promise<void> {
    for (;;) {
      // Checked on every pass: exchangeInfo may lower the limit while a request waits.
      if (!(weight <= this.limit)) throw new ExchangeWeightError(endpoint, weight, this.limit);
      this.roll();
      if (this.used + weight <= this.limit) {
        this.used += weight;
        return;
      }
      const wait = this.minuteStart + MINUTE_MS - this.clock.now() + 5;
      this.waits++;
      this.waitedMs += wait;
      const reason = { endpoint, weight, used: this.used, limit: this.limit, waitMs: wait };
      const message = 'request weight would cross the per-minute limit; waiting for the next minute';
      if (wait > NOTABLE_WAIT_MS && this.waitLoggedFor !== this.minuteStart) {
        this.waitLoggedFor = this.minuteStart;
        this.logger.info(reason, message);
      } else {
        this.logger.debug(reason, message);
      }
      await this.clock.sleep(wait);
    }
  }

  /**
   * Corrects the count from the exchange's `X-MBX-USED-WEIGHT-1M` header. The count is
   * at most the limit: an absurd header (999999) means "this minute is full", not a debt
   * that outlives the minute.
   */
  observeUsedWeight(header: unknown): void {
    const value = Number(header);
    if (header === undefined || header === null || header === '' || !Number.isFinite(value)) return;
    this.roll();
    if (value > this.used) this.used = Math.max(this.used, Math.min(value, this.limit));
  }

  /**
   * Opens (or extends) a window with no requests; logs a warning once per window.
   * `clampedFromMs`: the exchange asked for this much, and `ms` is the bound used
   * instead (back-off.ts); said once per window, so that an absurd value is visible.
   */
  blockFor(ms: number, reason: BlockWindow['reason'], clampedFromMs?: number): BlockWindow {
    const until = this.clock.now() + ms;
    const current = this.currentBlock();
    const clamp = clampedFromMs === undefined ? '' : `; its Retry-After asked for ${Math.round(clampedFromMs / 1000)} s, clamped to ${Math.round(ms / 1000)} s`;
    if (current === null) {
      this.block = { until, reason };
      this.clampLogged = clamp !== '';
      this.logger.warn(
        { reason, until: new Date(until).toISOString(), retryAfterSeconds: Math.ceil(ms / 1000) },
        (reason === 'banned' ? 'exchange banned this IP (HTTP 418); pausing all requests' : 'exchange rate limit hit (HTTP 429); pausing all requests') + clamp,
      );
      return this.block;
    }
    // A ban met inside a rate-limit window makes the window a ban (nothing is sent, not even after a wait).
    this.block = { until: Math.max(until, current.until), reason: reason === 'banned' ? 'banned' : current.reason };
    if (clamp !== '' && !this.clampLogged) {
      this.clampLogged = true;
      this.logger.warn({ reason, until: new Date(this.block!.until).toISOString() }, `exchange sent an absurd back-off${clamp}`);
    }
    return this.block!;
  }

  /** Records a wait for a back-off window (for metrics). */
  countWait(ms: number): void {
    this.waits++;
    this.waitedMs += ms;
  }

  stats(): WeightStats {
    return { usedWeight: this.usedWeight, limit: this.limit, waits: this.waits, waitedMs: this.waitedMs };
  }

  private roll(): void {
    const now = this.clock.now();
    const minuteStart = now - (now % MINUTE_MS);
    if (minuteStart !== this.minuteStart) {
      this.minuteStart = minuteStart;
      this.used = 0;
    }
  }
}
