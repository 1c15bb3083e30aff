/**
 * @module exchange/transport — one HTTP GET over node:http(s), bounded in time and in size.
 *
 * Node's own client rather than a library, because both bounds must hold from the first
 * byte to the last, which needs the request and the body stream in hand:
 * - an overall deadline per request (connect + headers + body): a socket idle timeout
 *   never fires on a body that drips one byte every few seconds;
 * - a size limit on the (decompressed) body: reading stops, and the connection is
 *   destroyed, as soon as it is crossed; nothing past the limit is buffered.
 * Redirects are not followed (an exchange API does not redirect; a proxy page that does
 * is reported as what it is). Nothing here logs, and no failure carries the library's
 * error object: it can hold the signed URL and the API key header.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { ExchangeMalformedResponseError, ExchangeResponseTooLargeError } from './errors.js';

export interface TransportOptions {
  /** Overall deadline of one request: connect, headers and body. */
  timeoutMs: number;
  /** Largest body accepted, counted after decompression (so a gzip bomb stops at the limit too). */
  maxResponseBytes: number;
  /** Connections kept open to the exchange. */
  maxSockets: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text; the caller parses it, so that HTML and truncated JSON are reported, not coerced. */
  text: string;
}

/**
 * No complete answer: a socket error, a connection closed mid-body, or the deadline.
 * `reason` is an error code (`ECONNREFUSED`) or `timed out after N ms`, never a message
 * that could quote the URL; `retryable` when another try may meet a different fate.
 */
export class TransportFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
  ) {
    super(reason);
    this.name = 'TransportFailure';
  }
}

/**
 * Failures of the connection rather than of the request. ENOTFOUND is not here: a name
 * that does not resolve will not resolve a second later (EAI_AGAIN is the resolver's
 * own "try again").
 */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

const BASE_HEADERS = { Accept: 'application/json', 'User-Agent': 'asterwatch', 'Accept-Encoding': 'gzip, br' };

export class Transport {
  private readonly agent: http.Agent;
  /** Requests in flight, to abort at close(). */
  private readonly inFlight = new Set<(failure: Error) => void>();
  private closed = false;

  constructor(
    private readonly baseUrl: string,
    private readonly options: TransportOptions,
  ) {
    // Keep-alive: a round's requests share a few TLS connections instead of a handshake each.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.agent = new URL(baseUrl).protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Aborts every request in flight (they fail as `closed`, not retried) and drops the kept-alive connections. */
  close(): void {
    this.closed = true;
    for (const abort of [...this.inFlight]) abort(new TransportFailure('closed', false));
    this.agent.destroy();
  }

  /**
   * GET `pathAndQuery` (relative to the base URL). `endpoint` is the bare path, the only
   * part of the URL that may appear in an error. Throws TransportFailure,
   * ExchangeResponseTooLargeError, or ExchangeMalformedResponseError (undecodable body);
   * a synchronous fault (an invalid header value) propagates as itself.
   */
  get(endpoint: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    const url = new URL(this.baseUrl + pathAndQuery);
    // Looked up on the module at call time, so that test interceptors (nock) see the call.
    const send = url.protocol === 'https:' ? https.request : http.request;
    const { timeoutMs, maxResponseBytes } = this.options;
    if (this.closed) return Promise.reject(new TransportFailure('closed', false));
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let body: Readable | undefined;
      const settle = (outcome: Error | RawResponse): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(settle);
        clearTimeout(deadline);
        if (!(outcome instanceof Error)) return resolve(outcome);
        // Destroying the request destroys its socket: nothing more is read or buffered.
        request.destroy();
        if (body !== undefined) body.destroy();
        reject(outcome);
      };
      const receive = (response: http.IncomingMessage): void => {
        const status = response.statusCode ?? 0;
        if (Number(response.headers['content-length']) > maxResponseBytes) return settle(new ExchangeResponseTooLargeError(endpoint, maxResponseBytes, status));
        const encoding = String(response.headers['content-encoding'] ?? '')
          .trim()
          .toLowerCase();
        const decoder = decompressor(encoding, response);
        if (decoder === null) {
          return settle(
            new ExchangeMalformedResponseError(
              endpoint,
              `HTTP ${status} with a body in an encoding asterwatch did not ask for (${JSON.stringify(encoding.slice(0, 20))})`,
              status,
            ),
          );
        }
        body = decoder ?? response;
        if (decoder !== undefined) {
          response.pipe(decoder);
          decoder.on('error', () =>
            settle(new ExchangeMalformedResponseError(endpoint, `HTTP ${status} with a ${encoding} body that does not decompress`, status)),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxResponseBytes) return settle(new ExchangeResponseTooLargeError(endpoint, maxResponseBytes, status));
          chunks.push(chunk);
        });
        body.on('end', () => settle({ status, headers: response.headers, text: Buffer.concat(chunks, size).toString('utf8') }));
        response.on('error', (error) => settle(networkFailure(error)));
        // The server hung up before the body was complete (Content-Length or chunking says so).
        response.on('close', () => {
          if (!response.complete) settle(new TransportFailure('ECONNRESET', true));
        });
      };
      /** Whether an answer began (headers read), and whether the request went out again (once at most). */
      let answered = false;
      let resent = false;
      const onError = (error: unknown): void => {
        // A kept-alive connection the server closed while this process was busy (a long round
        // blocks the event loop, so its FIN is read only now): the request never reached the
        // server, and Node's advice is to send it again on a new connection — once, at once,
        // within the same deadline, before anything of an answer arrived. A connection of its
        // own, outside the pool, which may hold more connections that died the same way.
        if (!settled && !answered && !resent && request.reusedSocket && (error as { code?: unknown } | null)?.code === 'ECONNRESET') {
          resent = true;
          request.destroy();
          request = open(false);
          return;
        }
        settle(networkFailure(error));
      };
      const open = (agent: http.Agent | false): http.ClientRequest => {
        const sent = send(url, { method: 'GET', agent, headers: { ...BASE_HEADERS, ...headers } }, (response) => {
          answered = true;
          receive(response);
        });
        sent.on('error', onError);
        sent.end();
        return sent;
      };
      let request = open(this.agent);
      this.inFlight.add(settle);
      const deadline = setTimeout(() => settle(new TransportFailure(`timed out after ${timeoutMs} ms`, true)), timeoutMs);
    });
  }
}

/** A stream that decompresses `encoding`; undefined for an uncompressed body; null for an encoding not asked for. */
function decompressor(encoding: string, response: http.IncomingMessage): Transform | undefined | null {
  // An empty body (204, Content-Length: 0) is not a gzip stream, whatever the header says.
  if (response.statusCode === 204 || response.headers['content-length'] === '0') return undefined;
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate':
      return zlib.createInflate();
    default:
      return null;
  }
}

/** A socket-level error as a failure that keeps only its code (its message may quote the URL). */
function networkFailure(error: unknown): TransportFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return new TransportFailure('network error', false);
  return new TransportFailure(code, TRANSIENT_CODES.has(code));
}
