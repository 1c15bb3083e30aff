/**
 * The client against real sockets on 127.0.0.1: every response body is bounded in size
 * (read no further than the limit) and every attempt in time (connect + headers + body).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AsterClient,
  ExchangeError,
  ExchangeMalformedResponseError,
  ExchangeUnreachableError,
  fetchAccountBalances,
  fetchAllPrices,
} from '../../src/exchange/index.js';
import { closeServer, listenOnLoopback } from '../../src/testing/loopback-server.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const MiB = 1024 * 1024;
const credentials = { apiKey: 'test-api-key-0123456789', apiSecret: 'test-secret-do-not-leak-9f8e7d6c5b4a' };

interface Loopback {
  url: string;
  requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  connections: number;
}

const servers: Server[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const loopback: Loopback = { url: '', requests: [], connections: 0 };
  const server = createServer((req, res) => {
    loopback.requests.push({ url: req.url ?? '', headers: req.headers });
    handle(req, res);
  });
  server.on('connection', () => loopback.connections++);
  servers.push(server);
  loopback.url = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  return loopback;
}

/** Writes `total` bytes of JSON-ish filler, honouring backpressure; resolves with the bytes handed to the socket. */
function stream(res: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  return new Promise((resolve) => {
    res.on('close', () => resolve(written));
    const pump = (): void => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
}

/** Settles with the outcome, or 'still waiting' after `ms` real milliseconds (so a hang fails the test instead of stalling it). */
function within(ms: number, promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise((resolve) => {
    timer = setTimeout(() => resolve('still waiting'), ms);
  });
  return Promise.race([
    promise.then(
      (value) => value,
      (error: unknown) => error,
    ),
    guard,
  ]).finally(() => clearTimeout(timer));
}

const client = (url: string, options: Partial<ConstructorParameters<typeof AsterClient>[0]> = {}) =>
  new AsterClient({ baseUrl: url, clock: new VirtualClock(), random: () => 0.5, maxAttempts: 3, ...options });

describe('response size', () => {
  it('stops reading at maxResponseBytes and fails with EXCHANGE_TOO_LARGE, without retrying', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      sent = stream(res, 64 * MiB);
    });
    const error = await within(10_000, fetchAllPrices(client(server.url, { maxResponseBytes: MiB })));
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).code).toBe('EXCHANGE_TOO_LARGE');
    expect((error as Error).message).toBe(
      'response too large from /api/v1/ticker/price: more than 1048576 bytes (maxResponseBytes); a real answer is far smaller, so check that ASTER_BASE_URL points at the exchange API',
    );
    expect(server.requests).toHaveLength(1);
    // The client hung up near the limit: the server could not hand over the 64 MiB.
    expect(await within(5000, sent)).toBeLessThan(32 * MiB);
  });

  it('fails before reading when Content-Length is over the limit (default 8 MiB)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(300 * MiB) });
      res.write('[');
    });
    const started = performance.now();
    const error = await within(10_000, fetchAllPrices(client(server.url, { timeoutMs: 5000 })));
    expect((error as ExchangeError).code).toBe('EXCHANGE_TOO_LARGE');
    expect((error as Error).message).toContain('more than 8388608 bytes');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('counts the decompressed bytes, so a small gzip bomb is stopped at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * MiB, 0x20));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    const error = await within(10_000, fetchAllPrices(client(server.url, { maxResponseBytes: MiB })));
    expect((error as ExchangeError).code).toBe('EXCHANGE_TOO_LARGE');
  });

  it('reads a gzip-compressed answer', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify([{ symbol: 'BTCUSDT', price: '64000.5' }])));
    });
    expect((await fetchAllPrices(client(server.url))).get('BTCUSDT')).toBe(64000.5);
  });
});

describe('the overall deadline of an attempt', () => {
  it('gives up on a body that drips one byte at a time, and retries it as a timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      timers.push(setInterval(() => res.write(' '), 50));
    });
    const started = performance.now();
    const error = await within(5000, fetchAllPrices(client(server.url, { timeoutMs: 300, maxAttempts: 2 })));
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toBe(
      'the exchange did not answer /api/v1/ticker/price (timed out after 300 ms) after 2 attempts; check ASTER_BASE_URL and the network',
    );
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives up on a server that never sends headers', async () => {
    const server = await serve(() => undefined);
    const error = await within(5000, fetchAllPrices(client(server.url, { timeoutMs: 200, maxAttempts: 1 })));
    expect((error as Error).message).toContain('(timed out after 200 ms) after 1 attempt;');
  });
});

describe('HTTP behaviour', () => {
  it('sends Accept, User-Agent and, when signed, X-MBX-APIKEY; reuses the connection', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(req.url!.startsWith('/api/v1/time') ? JSON.stringify({ serverTime: Date.now() }) : JSON.stringify({ balances: [] }));
    });
    await fetchAccountBalances(client(server.url), credentials);
    expect(server.requests.map((r) => r.url.split('?')[0])).toEqual(['/api/v1/time', '/api/v1/account']);
    const [time, account] = server.requests;
    expect(time!.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'asterwatch' });
    expect(time!.headers['x-mbx-apikey']).toBeUndefined();
    expect(account!.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'asterwatch', 'x-mbx-apikey': credentials.apiKey });
    expect(server.connections).toBe(1);
  });

  it('does not follow a redirect', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { Location: '/elsewhere', 'Content-Type': 'text/plain' });
      res.end('moved');
    });
    const error = await within(5000, fetchAllPrices(client(server.url)));
    expect(error).toBeInstanceOf(ExchangeMalformedResponseError);
    expect((error as Error).message).toContain('HTTP 302 with a body that is not valid JSON');
    expect(server.requests).toHaveLength(1);
  });

  // A kept-alive connection the server closed while the process was busy (a long round) is
  // found dead only when the next request is written on it: sent again at once on a new one.
  it('sends a request again, once and at once, when the kept-alive connection it went out on was reset', async () => {
    const answered = new WeakSet<object>();
    const server = await serve((req, res) => {
      if (answered.has(req.socket)) return void req.socket.destroy(); // the connection's second request: reset
      answered.add(req.socket);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ symbol: 'BTCUSDT', price: '1' }]));
    });
    const c = client(server.url, { maxAttempts: 1 });
    expect(await within(5000, fetchAllPrices(c))).toEqual(new Map([['BTCUSDT', 1]]));
    expect(await within(5000, fetchAllPrices(c))).toEqual(new Map([['BTCUSDT', 1]]));
    expect(server.requests).toHaveLength(3);
    expect(server.connections).toBe(2);
    expect(c.stats.retries).toBe(0);
  });

  it('sends it again on a connection of its own, not on another pooled one that died the same way', async () => {
    const answered = new WeakSet<object>();
    const server = await serve((req, res) => {
      if (answered.has(req.socket)) return void req.socket.destroy();
      answered.add(req.socket);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ symbol: 'BTCUSDT', price: '1' }]));
    });
    const c = client(server.url, { maxAttempts: 1 });
    await within(5000, Promise.all([fetchAllPrices(c), fetchAllPrices(c)])); // two kept-alive connections in the pool
    expect(server.connections).toBe(2);
    expect(await within(5000, fetchAllPrices(c))).toEqual(new Map([['BTCUSDT', 1]]));
    expect(server.connections).toBe(3);
  });

  it('does not send again a request reset on a new connection, nor twice on reused ones', async () => {
    const seen = new WeakSet<object>();
    const server = await serve((req, res) => {
      if (seen.has(req.socket) || server.connections > 1) return void req.socket.destroy();
      seen.add(req.socket);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ symbol: 'BTCUSDT', price: '1' }]));
    });
    const c = client(server.url, { maxAttempts: 1 });
    await within(5000, fetchAllPrices(c));
    const error = await within(
      5000,
      fetchAllPrices(c).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ExchangeUnreachableError);
    expect((error as Error).message).toContain('ECONNRESET');
    // The reused connection's reset, then one fresh connection's: no third request.
    expect(server.requests).toHaveLength(3);
  });

  it('retries a connection closed in the middle of the body', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      if (++calls === 1) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('[{"symbol":');
        setImmediate(() => res.socket?.destroy());
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ symbol: 'BTCUSDT', price: '1' }]));
    });
    const c = client(server.url);
    expect(await within(5000, fetchAllPrices(c))).toEqual(new Map([['BTCUSDT', 1]]));
    expect(c.stats.retries).toBe(1);
  });
});
