/**
 * @module exchange/client — the one way asterwatch talks to the Aster spot REST API.
 *
 * Every request goes through `request()`: weight reserved against the per-minute
 * budget, back-off windows honoured for every caller, network errors / timeouts / 5xx
 * retried with exponential backoff and full jitter (bounded), responses parsed from
 * raw text so that HTML and truncated JSON are reported, never coerced.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { systemClock, type Clock } from './clock.js';
import {
  ExchangeAuthError,
  ExchangeBannedError,
  ExchangeError,
  ExchangeMalformedResponseError,
  ExchangeRateLimitedError,
  ExchangeRejectedError,
  ExchangeServerError,
  ExchangeUnreachableError,
} from './errors.js';
import { WeightBudget } from './rate-limit.js';
import { signedQuery } from './sign.js';
import { parseRetryAfter } from '../net/retry-after.js';
import { resolveBaseUrl } from './base-url.js';

export { DEFAULT_BASE_URL } from './base-url.js';

/** An account's API credentials. Never logged, never put in an error or event. */
export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export interface ClientOptions {
  /** Default: ASTER_BASE_URL, else https://sapi.asterdex.com. Must be http(s): else ConfigBaseUrlError (CONFIG_BASE_URL). */
  baseUrl?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Attempts for network errors, timeouts and 5xx (default 4: one try and three retries). */
  maxAttempts?: number;
  /** First backoff step (default 250 ms), doubled per attempt, with full jitter. */
  backoffBaseMs?: number;
  /** Longest 429 window a request waits out instead of failing (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** `recvWindow` for signed requests (default 5000). */
  recvWindowMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Random source for jitter, injectable for tests. */
  random?: () => number;
}

export interface RequestSpec {
  path: string;
  params?: Record<string, string | number>;
  weight: number;
  /** Present for signed (USER_DATA) endpoints. */
  credentials?: Credentials;
}

/** Counters for metrics and the per-round figures in the README. */
export interface ClientStats {
  requests: number;
  weightSent: number;
  retries: number;
  byPath: Record<string, number>;
}

const AUTH_CODES = new Set([-2014, -2015, -1022]);
const TIMESTAMP_OUTSIDE_WINDOW = -1021;

export class AsterClient {
  readonly baseUrl: string;
  readonly budget: WeightBudget;
  private readonly http: AxiosInstance;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly recvWindowMs: number;
  private serverTimeOffsetMs: number | null = null;
  private syncing: Promise<number> | null = null;
  readonly stats: ClientStats = { requests: 0, weightSent: 0, retries: 0, byPath: {} };

  constructor(options: ClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(options.baseUrl ?? process.env.ASTER_BASE_URL);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.random = options.random ?? Math.random;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.recvWindowMs = options.recvWindowMs ?? 5000;
    this.budget = new WeightBudget(this.clock, this.logger);
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 10_000,
      // Raw text: JSON is parsed here so a truncated or HTML body is an error, not a string.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
      headers: { Accept: 'application/json', 'User-Agent': 'asterwatch' },
    });
  }

  /** Sends one request and returns its parsed JSON body. */
  async request(spec: RequestSpec): Promise<unknown> {
    let resynced = false;
    for (;;) {
      try {
        return await this.attempt(spec);
      } catch (error) {
        // -1021: our clock (or the offset) drifted; resynchronise and retry once.
        if (error instanceof ExchangeRejectedError && error.exchangeCode === TIMESTAMP_OUTSIDE_WINDOW && spec.credentials && !resynced) {
          resynced = true;
          this.logger.warn({ endpoint: spec.path }, 'exchange says the request timestamp is outside recvWindow; resynchronising the clock and retrying once');
          await this.syncServerTime();
          continue;
        }
        throw error;
      }
    }
  }

  /** Fetches `/api/v1/time` and stores the offset between the exchange's clock and ours. */
  async syncServerTime(): Promise<number> {
    // Concurrent signed requests share one /api/v1/time call.
    this.syncing ??= this.fetchServerTimeOffset().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async fetchServerTimeOffset(): Promise<number> {
    const before = this.clock.now();
    const body = await this.attempt({ path: '/api/v1/time', weight: 1 });
    const after = this.clock.now();
    const serverTime = (body as { serverTime?: unknown } | null)?.serverTime;
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) {
      throw new ExchangeMalformedResponseError('/api/v1/time', 'serverTime is missing or not a number');
    }
    this.serverTimeOffsetMs = Math.round(serverTime - (before + after) / 2);
    return this.serverTimeOffsetMs;
  }

  /** Retries network errors, timeouts and 5xx; waits out short 429 windows. */
  private async attempt(spec: RequestSpec): Promise<unknown> {
    let lastFailure = '';
    let lastStatus: number | undefined;
    let rateLimitRetries = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.waitForOpenWindow(spec.path);
      await this.budget.reserve(spec.weight);
      let response: AxiosResponse<string>;
      try {
        response = await this.send(spec);
      } catch (error) {
        lastFailure = describeNetworkError(error);
        lastStatus = undefined;
        if (attempt < this.maxAttempts) await this.backoff(spec.path, attempt, lastFailure);
        continue;
      }
      this.budget.observeUsedWeight(response.headers['x-mbx-used-weight-1m']);
      const { status } = response;
      if (status === 429 || status === 418) {
        const window = this.budget.blockFor(retryAfterMs(response.headers['retry-after'], status), status === 418 ? 'banned' : 'rate-limited');
        if (status === 418) throw new ExchangeBannedError(spec.path, new Date(window.until));
        // A 429 is an answer, not a fault: it does not use up an attempt, but it is bounded.
        if (++rateLimitRetries > 3) throw new ExchangeRateLimitedError(spec.path, new Date(window.until));
        attempt--;
        continue;
      }
      if (status >= 500) {
        lastFailure = `HTTP ${status}`;
        lastStatus = status;
        if (attempt < this.maxAttempts) await this.backoff(spec.path, attempt, lastFailure);
        continue;
      }
      return this.interpret(spec.path, response);
    }
    if (lastStatus !== undefined) throw new ExchangeServerError(spec.path, lastStatus, this.maxAttempts);
    throw new ExchangeUnreachableError(spec.path, lastFailure, this.maxAttempts);
  }

  private async send(spec: RequestSpec): Promise<AxiosResponse<string>> {
    this.stats.requests++;
    this.stats.weightSent += spec.weight;
    this.stats.byPath[spec.path] = (this.stats.byPath[spec.path] ?? 0) + 1;
    const params = spec.params ?? {};
    if (spec.credentials === undefined) {
      const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
      return this.http.get<string>(query === '' ? spec.path : `${spec.path}?${query}`);
    }
    if (this.serverTimeOffsetMs === null) await this.syncServerTime();
    const query = signedQuery({ ...params, recvWindow: this.recvWindowMs, timestamp: this.clock.now() + (this.serverTimeOffsetMs ?? 0) }, spec.credentials.apiSecret);
    return this.http.get<string>(`${spec.path}?${query}`, { headers: { 'X-MBX-APIKEY': spec.credentials.apiKey } });
  }

  private interpret(path: string, response: AxiosResponse<string>): unknown {
    const body = parseJson(path, response);
    if (response.status >= 200 && response.status < 300) return body;
    const { code, msg } = (body ?? {}) as { code?: unknown; msg?: unknown };
    const exchangeCode = typeof code === 'number' ? code : undefined;
    const message = typeof msg === 'string' ? msg : `HTTP ${response.status}`;
    if (exchangeCode !== undefined && AUTH_CODES.has(exchangeCode)) throw new ExchangeAuthError(path, response.status, exchangeCode, message);
    if (response.status === 401) throw new ExchangeAuthError(path, 401, exchangeCode ?? 0, message);
    throw new ExchangeRejectedError(path, response.status, exchangeCode, message);
  }

  private async waitForOpenWindow(path: string): Promise<void> {
    const window = this.budget.currentBlock();
    if (window === null) return;
    if (window.reason === 'banned') throw new ExchangeBannedError(path, new Date(window.until));
    const wait = window.until - this.clock.now();
    if (wait > this.maxRateLimitWaitMs) throw new ExchangeRateLimitedError(path, new Date(window.until));
    this.budget.countWait(wait);
    await this.clock.sleep(wait);
  }

  private async backoff(path: string, attempt: number, reason: string): Promise<void> {
    this.stats.retries++;
    const ceiling = this.backoffBaseMs * 2 ** (attempt - 1);
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    this.logger.warn({ endpoint: path, attempt, reason, retryInMs: delay }, 'exchange request failed; retrying');
    await this.clock.sleep(delay);
  }
}

function parseJson(path: string, response: AxiosResponse<string>): unknown {
  const text = typeof response.data === 'string' ? response.data : '';
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.includes('text/html') || /^\s*</.test(text)) {
    throw new ExchangeMalformedResponseError(path, `HTTP ${response.status} with an HTML page instead of JSON (a proxy or WAF page?)`, response.status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new ExchangeMalformedResponseError(path, `HTTP ${response.status} with a body that is not valid JSON (${text.length} bytes: ${JSON.stringify(shown)})`, response.status);
  }
}

/** The exchange's Retry-After, or (without one) a minute for 429 and two minutes, the shortest ban, for 418. */
function retryAfterMs(header: unknown, status: number): number {
  return parseRetryAfter(header) ?? (status === 418 ? 120_000 : 60_000);
}

function describeNetworkError(error: unknown): string {
  if (axios.isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'timed out';
    if (error.code) return error.code;
  }
  return error instanceof ExchangeError ? error.message : 'network error';
}
