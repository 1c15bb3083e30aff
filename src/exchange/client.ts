/**
 * @module exchange/client — the one way asterwatch talks to the Aster spot REST API.
 *
 * Every request goes through `request()`: weight reserved against the per-minute
 * budget, back-off windows honoured for every caller, and only failures another try
 * can cure retried — connections refused, reset or aborted, EAI_AGAIN, timeouts, 5xx —
 * with exponential backoff and equal jitter (half of each step fixed, half random),
 * a bounded number of times. Anything else (an ExchangeError from a nested request, a
 * bug) propagates as itself. Every attempt has an overall deadline and every body a
 * size limit (transport.ts); bodies are parsed from raw text so that HTML and
 * truncated JSON are reported, never coerced.
 */
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { backOffWindow } from './back-off.js';
import { resolveBaseUrl } from './base-url.js';
import { systemClock, type Clock } from './clock.js';
import {
  ExchangeAuthError,
  ExchangeBannedError,
  ExchangeMalformedResponseError,
  ExchangeRateLimitedError,
  ExchangeRejectedError,
  ExchangeServerError,
  ExchangeUnreachableError,
} from './errors.js';
import { WeightBudget } from './rate-limit.js';
import { credentialKind, isApiWallet, type Credentials } from './credentials.js';
import { nextNonce } from './nonce.js';
import { signedQuery } from './sign.js';
import { closableClock, ExchangeClosedError } from './closing.js';
import { Transport, TransportFailure, type RawResponse } from './transport.js';

export { DEFAULT_BASE_URL } from './base-url.js';

export type { Credentials } from './credentials.js';

export interface ClientOptions {
  /** Default: ASTER_BASE_URL, else https://sapi.asterdex.com. Must be http(s): else ConfigBaseUrlError (CONFIG_BASE_URL). */
  baseUrl?: string;
  /** Where `baseUrl` came from, for the message when it is malformed: its variable and a good value. */
  baseUrlFrom?: { variable: string; example: string };
  /** Overall deadline of one attempt — connect, headers and the whole body (default 10 s). A timeout is retried. */
  timeoutMs?: number;
  /** Largest response body accepted, after decompression (default 8 MiB); larger is ExchangeResponseTooLargeError. */
  maxResponseBytes?: number;
  /** Attempts for transient network errors, timeouts and 5xx (default 4: one try and three retries). */
  maxAttempts?: number;
  /** First backoff step (default 250 ms), doubled per attempt; the wait is between half the step and the step (equal jitter). */
  backoffBaseMs?: number;
  /** Longest 429 window a request waits out instead of failing (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** `recvWindow` for signed requests (default 5000). */
  recvWindowMs?: number;
  /** Where the server's clock is read (default `/api/v1/time`; `/fapi/v1/time` for a futures client). */
  timePath?: string;
  /** The per-minute weight limit until exchangeInfo states one (default 6000, spot's). */
  weightLimit?: number;
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

/** An all-symbols ticker is well under 1 MB; 8 MiB leaves room for growth and stops a runaway body. */
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const AUTH_CODES = new Set([-2014, -2015, -1022]);
/**
 * A request timed outside the exchange's window: `-1021` (a V1 timestamp, a V3 nonce more
 * than 10 s from the exchange's clock) or `-4225` ("Nonce Expired": a V3 nonce older than
 * the newest ones the exchange keeps for the account, e.g. after another process used the
 * same API wallet). Both are cured by resynchronising and signing again, once.
 */
const TIMING_CODES = new Set([-1021, -4225]);

export class AsterClient {
  readonly baseUrl: string;
  readonly budget: WeightBudget;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly recvWindowMs: number;
  private readonly timePath: string;
  private serverTimeOffsetMs: number | null = null;
  private syncing: Promise<number> | null = null;
  /** Aborted by close(): ends every wait and request in flight. */
  private readonly closing = new AbortController();
  readonly stats: ClientStats = { requests: 0, weightSent: 0, retries: 0, byPath: {} };

  constructor(options: ClientOptions = {}) {
    this.baseUrl =
      options.baseUrlFrom === undefined
        ? resolveBaseUrl(options.baseUrl ?? process.env.ASTER_BASE_URL)
        : resolveBaseUrl(options.baseUrl, options.baseUrlFrom.example, options.baseUrlFrom.variable);
    this.clock = closableClock(options.clock ?? systemClock, this.closing.signal);
    this.logger = options.logger ?? silentLogger();
    this.random = options.random ?? Math.random;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.recvWindowMs = options.recvWindowMs ?? 5000;
    this.timePath = options.timePath ?? '/api/v1/time';
    this.budget = new WeightBudget(this.clock, this.logger);
    if (options.weightLimit !== undefined) this.budget.setLimit(options.weightLimit);
    this.transport = new Transport(this.baseUrl, {
      timeoutMs: Math.max(1, options.timeoutMs ?? 10_000),
      maxResponseBytes: Math.max(1, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
      maxSockets: 16,
    });
  }

  /** Abandons every request in flight and refuses new ones (shutdown). */
  close(): void {
    this.closing.abort();
    this.transport.close();
  }

  /** Sends one request and returns its parsed JSON body. */
  async request(spec: RequestSpec): Promise<unknown> {
    if (this.closing.signal.aborted) throw new ExchangeClosedError(spec.path);
    let resynced = false;
    for (;;) {
      try {
        return await this.attempt(spec);
      } catch (error) {
        // -1021: our clock (or the offset) drifted; resynchronise and retry once.
        if (error instanceof ExchangeRejectedError && TIMING_CODES.has(error.exchangeCode ?? 0) && spec.credentials && !resynced) {
          resynced = true;
          this.logger.warn(
            { endpoint: spec.path, exchangeCode: error.exchangeCode },
            "exchange says the request's timestamp or nonce is outside its window; resynchronising the clock and retrying once",
          );
          await this.syncServerTime();
          continue;
        }
        throw error;
      }
    }
  }

  /** Fetches the server time (`/api/v1/time`, or the client's `timePath`) and stores the offset between the exchange's clock and ours. */
  async syncServerTime(): Promise<number> {
    // Concurrent signed requests share one /api/v1/time call.
    this.syncing ??= this.fetchServerTimeOffset().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async fetchServerTimeOffset(): Promise<number> {
    const before = this.clock.now();
    const body = await this.attempt({ path: this.timePath, weight: 1 });
    const after = this.clock.now();
    const serverTime = (body as { serverTime?: unknown } | null)?.serverTime;
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) {
      throw new ExchangeMalformedResponseError(this.timePath, 'serverTime is missing or not a number');
    }
    this.serverTimeOffsetMs = Math.round(serverTime - (before + after) / 2);
    return this.serverTimeOffsetMs;
  }

  /**
   * Retries transient network failures, timeouts and 5xx; waits out short 429 windows.
   * Only TransportFailure is handled here: every other exception — a ban or an outage
   * met by the nested time sync, a weight that can never fit, a signing fault, a bug —
   * is not something another try can cure, and propagates unchanged.
   */
  private async attempt(spec: RequestSpec): Promise<unknown> {
    let lastFailure: TransportFailure | undefined;
    let lastStatus: number | undefined;
    let attempts = 0;
    let rateLimitRetries = 0;
    while (attempts < this.maxAttempts) {
      // The offset is needed before signing; the sync is a request of its own, with its own retries.
      if (spec.credentials !== undefined && this.serverTimeOffsetMs === null) await this.syncServerTime();
      await this.waitForOpenWindow(spec.path);
      await this.budget.reserve(spec.weight, spec.path);
      // Built after the waits, so that a signed request's timestamp is fresh when it leaves.
      const { pathAndQuery, headers } = await this.target(spec);
      attempts++;
      let response: RawResponse;
      try {
        response = await this.send(spec, pathAndQuery, headers);
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        if (this.closing.signal.aborted) throw new ExchangeClosedError(spec.path);
        lastFailure = error;
        lastStatus = undefined;
        if (!error.retryable) break;
        if (attempts < this.maxAttempts) await this.backoff(spec.path, attempts, error.reason);
        continue;
      }
      this.budget.observeUsedWeight(response.headers['x-mbx-used-weight-1m']);
      const { status } = response;
      if (status === 429 || status === 418) {
        const { ms, clampedFromMs } = backOffWindow(response.headers['retry-after'], status, this.clock.now());
        const window = this.budget.blockFor(ms, status === 418 ? 'banned' : 'rate-limited', clampedFromMs);
        if (status === 418) throw new ExchangeBannedError(spec.path, new Date(window.until));
        // A 429 is an answer, not a fault: it does not use up an attempt, but it is bounded.
        if (++rateLimitRetries > 3) throw new ExchangeRateLimitedError(spec.path, new Date(window.until));
        attempts--;
        continue;
      }
      if (status >= 500) {
        lastFailure = undefined;
        lastStatus = status;
        if (attempts < this.maxAttempts) await this.backoff(spec.path, attempts, `HTTP ${status}`);
        continue;
      }
      return this.interpret(spec, response);
    }
    if (lastStatus !== undefined) throw new ExchangeServerError(spec.path, lastStatus, attempts);
    throw new ExchangeUnreachableError(spec.path, lastFailure?.reason ?? 'network error', attempts);
  }

  /** The path with its query (signed last, when credentials are given) and the extra headers. */
  private async target(spec: RequestSpec): Promise<{ pathAndQuery: string; headers: Record<string, string> }> {
    const params = spec.params ?? {};
    if (spec.credentials === undefined) {
      const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
      return { pathAndQuery: query === '' ? spec.path : `${spec.path}?${query}`, headers: {} };
    }
    const now = this.clock.now() + (this.serverTimeOffsetMs ?? 0);
    if (isApiWallet(spec.credentials)) {
      // V3 (aster-accounts.md §2): the endpoint's parameters, then nonce, signer and user;
      // the EIP-712 signature of exactly that string goes last. No key header.
      const wallet = spec.credentials;
      const signed: Record<string, string | number> = { ...params, nonce: nextNonce(wallet.signer, now), signer: wallet.signer };
      if (wallet.user !== null) signed.user = wallet.user;
      const msg = new URLSearchParams(Object.entries(signed).map(([k, v]) => [k, String(v)])).toString();
      return { pathAndQuery: `${spec.path}?${msg}&signature=${await wallet.signMessage(msg)}`, headers: {} };
    }
    const { apiKey, apiSecret } = spec.credentials;
    // Checked here because Node's own type errors quote the value they got: a numeric secret would be in the message.
    if (typeof apiKey !== 'string' || typeof apiSecret !== 'string')
      throw new TypeError(`the credentials for ${spec.path} must be strings (apiKey, apiSecret)`);
    const query = signedQuery({ ...params, recvWindow: this.recvWindowMs, timestamp: now }, apiSecret);
    return { pathAndQuery: `${spec.path}?${query}`, headers: { 'X-MBX-APIKEY': apiKey } };
  }

  private send(spec: RequestSpec, pathAndQuery: string, headers: Record<string, string>): Promise<RawResponse> {
    this.stats.requests++;
    this.stats.weightSent += spec.weight;
    this.stats.byPath[spec.path] = (this.stats.byPath[spec.path] ?? 0) + 1;
    return this.transport.get(spec.path, pathAndQuery, headers);
  }

  private interpret(spec: RequestSpec, response: RawResponse): unknown {
    const { path } = spec;
    const body = parseJson(path, response);
    if (response.status >= 200 && response.status < 300) return body;
    const { code, msg } = (body ?? {}) as { code?: unknown; msg?: unknown };
    const exchangeCode = typeof code === 'number' ? code : undefined;
    const message = typeof msg === 'string' ? msg : `HTTP ${response.status}`;
    const kind = spec.credentials === undefined ? 'v1' : credentialKind(spec.credentials);
    if (exchangeCode !== undefined && AUTH_CODES.has(exchangeCode)) throw new ExchangeAuthError(path, response.status, exchangeCode, message, kind);
    if (response.status === 401) throw new ExchangeAuthError(path, 401, exchangeCode ?? 0, message, kind);
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

  /** Exponential backoff with equal jitter: uniform in [step / 2, step], so retries spread out but never come at once. */
  private async backoff(path: string, attempt: number, reason: string): Promise<void> {
    this.stats.retries++;
    const step = this.backoffBaseMs * 2 ** (attempt - 1);
    const delay = Math.round(step / 2 + (this.random() * step) / 2);
    this.logger.warn({ endpoint: path, attempt, reason, retryInMs: delay }, 'exchange request failed; retrying');
    await this.clock.sleep(delay);
  }
}

function parseJson(path: string, response: RawResponse): unknown {
  const { text } = response;
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.includes('text/html') || /^\s*</.test(text)) {
    throw new ExchangeMalformedResponseError(path, `HTTP ${response.status} with an HTML page instead of JSON (a proxy or WAF page?)`, response.status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new ExchangeMalformedResponseError(
      path,
      `HTTP ${response.status} with a body that is not valid JSON (${text.length} bytes: ${JSON.stringify(shown)})`,
      response.status,
    );
  }
}
