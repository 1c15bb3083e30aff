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
/**
 * How far from exactly 24 hours ago a recorded value may be and still serve as the 24 h
 * baseline. A value from 2 hours ago is not "24 hours ago": without one near enough there
 * is no baseline (change conditions wait for state), never a misleading one.
 */
export const FUTURES_BASELINE_TOLERANCE_MS = HOUR_MS;

/** A futures account as read this round, with the value recorded closest to 24 hours before. */
export interface FuturesReading {
  account: FuturesAccount;
  /** The value recorded 24 h ± 1 h before this reading, or null when the service has none. */
  dayAgo: Reading | null;
}

/**
 * The futures market's weight limit, read from `/fapi/v1/exchangeInfo` before the first
 * signed futures request and then hourly: the futures budget is apart from spot's. When it
 * cannot be read, the default limit applies (the request itself is still made).
 */
export class FuturesLimits {
  private readAt = -Infinity;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly client: AsterClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  ensure(): Promise<void> {
    if (this.now() - this.readAt < HOUR_MS) return Promise.resolve();
    this.inFlight ??= fetchExchangeInfo(this.client, '/fapi/v1/exchangeInfo')
      .then(
        () => undefined,
        (error: Error) => this.logger.warn({ reason: error.message }, "could not read the futures market's weight limit; the default budget applies"),
      )
      .finally(() => {
        this.readAt = this.now();
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
