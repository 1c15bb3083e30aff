import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AsterClient, ExchangeClosedError } from '../../src/exchange/index.js';
import { closeServer, listenOnLoopback } from '../../src/testing/loopback-server.js';

let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) await closeServer(server);
  server = undefined;
});

describe('closing the exchange client (shutdown)', () => {
  it('abandons a request in flight at once, and refuses new ones', async () => {
    // An exchange that accepts the request and never answers.
    server = createServer(() => {});
    const port = await listenOnLoopback(server);
    const client = new AsterClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 60_000, maxAttempts: 3 });
    const pending = client.request({ path: '/api/v1/ticker/price', weight: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    client.close();
    await expect(pending).rejects.toBeInstanceOf(ExchangeClosedError);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(client.request({ path: '/api/v1/time', weight: 1 })).rejects.toMatchObject({ code: 'EXCHANGE_CLOSED' });
  });

  it('ends a wait between attempts (backoff) at once', async () => {
    server = createServer((_req, res) => res.writeHead(503).end('down'));
    const port = await listenOnLoopback(server);
    const client = new AsterClient({ baseUrl: `http://127.0.0.1:${port}`, backoffBaseMs: 30_000, maxAttempts: 3 });
    const pending = client.request({ path: '/api/v1/ticker/price', weight: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.close();
    await expect(pending).rejects.toBeInstanceOf(ExchangeClosedError);
  });
});
