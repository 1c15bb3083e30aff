/**
 * @module exchange/errors — what went wrong talking to the exchange, in plain words.
 *
 * Messages name the endpoint path (never the query string, which carries the
 * signature) and what to do. No error keeps the HTTP library's error object as its
 * cause, because that object holds the request headers (the API key) and the signed URL.
 */
import { AsterwatchError } from '../errors.js';

export class ExchangeError extends AsterwatchError {
  /** The endpoint path, e.g. `/api/v1/account`. */
  readonly endpoint: string;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** The exchange's own error code (`-1121`), when it sent one. */
  readonly exchangeCode: number | undefined;

  constructor(code: string, endpoint: string, message: string, details: { status?: number; exchangeCode?: number } = {}) {
    super(code, message, { userFacing: false });
    this.endpoint = endpoint;
    this.status = details.status;
    this.exchangeCode = details.exchangeCode;
  }
}

/** The API key or signature was refused (-2014, -2015, -1022): not retried. */
export class ExchangeAuthError extends ExchangeError {
  constructor(endpoint: string, status: number, exchangeCode: number, exchangeMessage: string, kind: 'v1' | 'v3' = 'v1') {
    super(
      'EXCHANGE_AUTH',
      endpoint,
      kind === 'v3'
        ? `the exchange refused the API wallet's signature on ${endpoint} (code ${exchangeCode}: ${exchangeMessage}); check signer, private_key and user, and that the API wallet is still authorised for the account on asterdex.com`
        : `the exchange refused the API key or signature on ${endpoint} (code ${exchangeCode}: ${exchangeMessage}); check api_key/api_secret, the key's permissions and its IP whitelist`,
      { status, exchangeCode },
    );
  }
}

/** HTTP 418: this IP is banned until `until`; nothing is sent before then. */
export class ExchangeBannedError extends ExchangeError {
  readonly until: Date;
  constructor(endpoint: string, until: Date) {
    super('EXCHANGE_BANNED', endpoint, `the exchange has banned this IP for sending too many requests; no request is sent until ${until.toISOString()}`, {
      status: 418,
    });
    this.until = until;
  }
}

/** HTTP 429 whose wait is longer than this client is willing to wait inside one request. */
export class ExchangeRateLimitedError extends ExchangeError {
  readonly until: Date;
  constructor(endpoint: string, until: Date) {
    super('EXCHANGE_RATE_LIMITED', endpoint, `the exchange's rate limit was hit; requests resume at ${until.toISOString()}`, { status: 429 });
    this.until = until;
  }
}

/**
 * No answer: connection refused or reset, DNS failure, the overall deadline — after the
 * retries when the cause is transient (`reason` names it: `ECONNREFUSED`, `timed out after 10000 ms`).
 */
export class ExchangeUnreachableError extends ExchangeError {
  constructor(endpoint: string, reason: string, attempts: number) {
    super(
      'EXCHANGE_UNREACHABLE',
      endpoint,
      `the exchange did not answer ${endpoint} (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}; check ASTER_BASE_URL and the network`,
    );
  }
}

/**
 * A request heavier than the exchange's whole per-minute weight limit: it can never be
 * sent, so it fails at once instead of waiting forever. Not retried.
 */
export class ExchangeWeightError extends ExchangeError {
  readonly weight: number;
  readonly limit: number;
  constructor(endpoint: string, weight: number, limit: number) {
    super(
      'EXCHANGE_WEIGHT',
      endpoint,
      `${endpoint} has request weight ${weight}, more than the exchange's limit of ${limit} per minute, so it can never be sent; check the REQUEST_WEIGHT limit in GET /api/v1/exchangeInfo (rateLimits) and report it if it is that low`,
    );
    this.weight = weight;
    this.limit = limit;
  }
}

/** 5xx after the retries. */
export class ExchangeServerError extends ExchangeError {
  constructor(endpoint: string, status: number, attempts: number) {
    super('EXCHANGE_SERVER', endpoint, `the exchange failed on ${endpoint} with HTTP ${status} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, {
      status,
    });
  }
}

/** A 4xx the exchange explains with its own code (bad symbol, bad parameter, WAF block). */
export class ExchangeRejectedError extends ExchangeError {
  constructor(endpoint: string, status: number, exchangeCode: number | undefined, exchangeMessage: string) {
    super(
      'EXCHANGE_REJECTED',
      endpoint,
      `the exchange rejected ${endpoint} with HTTP ${status}${exchangeCode === undefined ? '' : ` (code ${exchangeCode})`}: ${exchangeMessage}`,
      { status, ...(exchangeCode === undefined ? {} : { exchangeCode }) },
    );
  }
}

/**
 * The body crossed the size limit (`maxResponseBytes`, default 8 MiB). Reading stopped
 * there; not retried, since the next answer would be as large.
 */
export class ExchangeResponseTooLargeError extends ExchangeError {
  readonly limitBytes: number;
  constructor(endpoint: string, limitBytes: number, status?: number) {
    super(
      'EXCHANGE_TOO_LARGE',
      endpoint,
      `response too large from ${endpoint}: more than ${limitBytes} bytes (maxResponseBytes); a real answer is far smaller, so check that ASTER_BASE_URL points at the exchange API`,
      status === undefined ? {} : { status },
    );
    this.limitBytes = limitBytes;
  }
}

/** The body is not what the endpoint documents: HTML, truncated JSON, a missing or non-numeric field. */
export class ExchangeMalformedResponseError extends ExchangeError {
  constructor(endpoint: string, problem: string, status?: number) {
    super('EXCHANGE_MALFORMED', endpoint, `the exchange sent a malformed response to ${endpoint}: ${problem}`, status === undefined ? {} : { status });
  }
}

/** ASTER_BASE_URL (or the `baseUrl` option) is not an http(s) URL: the user's to fix, so no stack trace. */
export class ConfigBaseUrlError extends AsterwatchError {
  constructor(
    readonly value: string,
    example: string,
    variable = 'ASTER_BASE_URL',
  ) {
    super('CONFIG_BASE_URL', `${variable} must be an http(s) URL such as ${example}; got ${JSON.stringify(value)}`, { userFacing: true });
  }
}
