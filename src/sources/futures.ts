/**
 * @module sources/futures — a futures account's value and open positions, one read per
 * account per round (needs keyed by the account), on the futures client's own budget.
 */
import {
  accountKeyOf,
  fetchExchangeInfo,
  fetchFuturesAccount,
  fetchOpenPositions,
  type AsterClient,
  type Credentials,
  type FuturesAccount,
  type Position,
} from '../exchange/index.js';
import type { Logger } from '../log/logger.js';
import type { Reading, ReadingStore } from '../store/index.js';
import type { Need } from './need.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const RETRY_LIMIT_READ_MS = 5 * 60 * 1000;
/**
 * The spec's rule: the value recorded closest to 24 hours ago, whenever it was recorded;
 * readings are kept two days (READINGS_KEPT_MS), so any reading kept may serve.
 */
export const FUTURES_BASELINE_TOLERANCE_MS = DAY_MS;
/** How long readings are kept: only the one closest to 24 h ago is ever read. */
export const READINGS_KEPT_MS = 2 * DAY_MS;

/** A futures account as read this round, with the value recorded closest to 24 hours before. */
export interface FuturesReading {
  account: FuturesAccount;
  /** The value recorded closest to 24 h before this reading (within the two days kept), or null when the service has none. */
  dayAgo: Reading | null;
}

/**
 * The futures market's weight limit, read from `/fapi/v1/exchangeInfo` before the first
 * signed futures request and then hourly: the futures budget is apart from spot's. When it
 * cannot be read, the default limit applies (the request itself is still made).
 */
export class FuturesLimits {
  /** When to read the limit again: an hour after a read, five minutes after a failed one. */
  private nextReadAt = -Infinity;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly client: AsterClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  ensure(): Promise<void> {
    if (this.now() < this.nextReadAt) return Promise.resolve();
    this.inFlight ??= fetchExchangeInfo(this.client, '/fapi/v1/exchangeInfo')
      .then(
        () => {
          this.nextReadAt = this.now() + HOUR_MS;
        },
        (error: Error) => {
          this.nextReadAt = this.now() + RETRY_LIMIT_READ_MS;
          this.logger.warn({ reason: error.message }, "could not read the futures market's weight limit; the documented 2400/min applies until it can");
        },
      )
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}

/** `totalMarginBalance` of a futures account, recorded so that a later round has a 24 h baseline. */
export class FuturesAccountSource implements Need<FuturesReading> {
  readonly key: string;
  readonly readsExchange = true;
  private readonly readingKey: string;

  constructor(
    private readonly client: AsterClient,
    private readonly limits: FuturesLimits,
    private readonly readings: ReadingStore,
    private readonly credentials: Credentials,
  ) {
    const account = accountKeyOf(credentials);
    this.key = `futures-account:${account}`;
    this.readingKey = `futures-margin-balance:${account}`;
  }

  async fetch(at: number): Promise<FuturesReading> {
    await this.limits.ensure();
    const account = await fetchFuturesAccount(this.client, this.credentials);
    const dayAgo = await this.readings.nearest(this.readingKey, at - DAY_MS, FUTURES_BASELINE_TOLERANCE_MS);
    await this.readings.record(this.readingKey, at, account.totalMarginBalance);
    // Also here, not only in the service's hourly retention: `check` run from cron never starts the service.
    await this.readings.prune(at - READINGS_KEPT_MS);
    return { account, dayAgo };
  }
}

/** The open positions of a futures account: one request serves every positions monitor of it. */
export class PositionsSource implements Need<Position[]> {
  readonly key: string;
  readonly readsExchange = true;

  constructor(
    private readonly client: AsterClient,
    private readonly limits: FuturesLimits,
    private readonly credentials: Credentials,
  ) {
    this.key = `positions:${accountKeyOf(credentials)}`;
  }

  async fetch(_at: number): Promise<Position[]> {
    await this.limits.ensure();
    return fetchOpenPositions(this.client, this.credentials);
  }
}
