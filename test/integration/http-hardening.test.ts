/**
 * The HTTP surface against hostile clients and pages: readers that never read, too many
 * streams, a reconnect that missed thousands of events, DNS rebinding, tokens guessed by
 * prefix, framing and sniffing, and the metrics of deliveries.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { buildEvent } from '../../src/events/index.js';
import { buildHttpApp, startHttpServer, type HttpAppOptions } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { Service } from '../../src/service/service.js';
import { closeServer, listenOnLoopback } from '../../src/testing/loopback-server.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { waitUntil } from '../helpers/lines.js';

let exchange: FakeExchange;
let service: Service;
let dir: string;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  dir = mkdtempSync(join(tmpdir(), 'aw-http-hard-'));
  writeFileSync(
    join(dir, 'monitors.yaml'),
    'sinks:\n  out: { type: file, path: ./events.jsonl }\nmonitors:\n  - { name: m, monitoring_mode: market, check_interval: 60, notify: [out], monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
  );
  service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
});

afterEach(async () => {
  await service.stop(1000);
  await exchange.stop();
});

/** Records `count` events of about `bytes` each, straight into the store. */
async function raise(count: number, bytes = 200, from = 0): Promise<void> {
  const padding = 'x'.repeat(bytes);
  const events = Array.from({ length: count }, (_, i) => ({
    event: buildEvent(
      'test.padding',
      's',
      { monitor: 'm', condition: '> 1', severity: SEVERITY.low, roundTime: from + i, checkedAt: new Date() },
      { padding, monitor: 'm', condition: '> 1', severity: 0.15, severity_label: 'low' as const },
    ),
    monitor: 'm',
    severity: 0.15,
    sinks: [],
  }));
  await service.store.commit({ roundTime: from, checkedAt: Date.now(), states: [], statuses: [], events });
}

async function serve(options: HttpAppOptions = {}) {
  const { app, context } = buildHttpApp(service, options);
  await context.tail.init();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, context, url: address, port: Number(new URL(address).port) };
}

describe('event streams', () => {
  it('drop a client that stops reading while behind, and give a reader every event of a burst larger than the bound', async () => {
    const { app, context, port, url } = await serve({ streams: { maxUnreadBytes: 64 * 1024, stallMs: 500 } });
    const reader = get(`${url}/api/events/stream`);
    const ids: number[] = [];
    try {
      reader.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const parts = text.split('\n\n');
          text = parts.pop()!;
          for (const part of parts) {
            const id = /^id: (\d+)$/m.exec(part);
            if (id !== null) ids.push(Number(id[1]));
          }
        });
      });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET /api/events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await waitUntil(() => context.streams.open === 2, 5000, 'both streams to open');
      socket.pause(); // never reads again
      // 2,000 events of 10 kB: 20 MB, 300 times the bound, raised at once.
      for (let i = 0; i < 4; i++) await raise(500, 10_000, i * 1000);
      await context.tail.poke();
      await waitUntil(() => context.streams.dropped === 1, 10_000, 'the stalled client to be dropped');
      expect(context.streams.open).toBe(1);
      await waitUntil(() => ids.length === 2000, 20_000, 'the reader to get every event');
      expect(ids).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
      socket.destroy();
      expect((await app.inject('/metrics')).body).toContain('asterwatch_http_streams_dropped_total 1');
    } finally {
      reader.destroy();
      await app.close();
    }
  });

  it('are capped in number: past the cap a client gets 503 with the reason', async () => {
    const { app, url } = await serve({ streams: { maxStreams: 2 } });
    const open: Array<ReturnType<typeof get>> = [];
    try {
      for (let i = 0; i < 2; i++) {
        await new Promise<void>((resolve) => {
          const request = get(`${url}/api/events/stream`, (response) => {
            expect(response.statusCode).toBe(200);
            resolve();
          });
          open.push(request);
        });
      }
      const refused = await new Promise<{ status: number; body: string }>((resolve) => {
        get(`${url}/api/events/stream`, (response) => {
          let body = '';
          response.on('data', (c: Buffer) => (body += c.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
      });
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'too_many_streams', message: expect.stringContaining('at most 2') });
    } finally {
      for (const request of open) request.destroy();
      await app.close();
    }
  });

  it('give a reconnecting client everything it missed, in order, then the live ones', async () => {
    await raise(1, 50, 0);
    const lastSeen = await service.events.lastSeq();
    await raise(1200, 50, 10);
    const { app, context, url } = await serve();
    try {
      const received: number[] = [];
      let buffer = '';
      const request = get(`${url}/api/events/stream`, { headers: { 'Last-Event-ID': String(lastSeen) } }, (response) =>
        response.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const match of buffer.matchAll(/^id: (\d+)$/gm)) received.push(Number(match[1]));
          buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        }),
      );
      await waitUntil(() => received.length >= 1200, 10_000, 'the missed events');
      await raise(3, 50, 5000);
      await context.tail.poke();
      await waitUntil(() => received.length >= 1203, 5000, 'the live events');
      request.destroy();
      expect(received).toEqual(Array.from({ length: 1203 }, (_, i) => lastSeen + 1 + i));
    } finally {
      await app.close();
    }
  });
});

/** Opens a stream and collects the ids it receives. */
function follow(url: string, headers: Record<string, string> = {}): { ids: number[]; close(): void } {
  const ids: number[] = [];
  let buffer = '';
  const request = get(url, { headers }, (response) =>
    response.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const match of buffer.matchAll(/^id: (\d+)$/gm)) ids.push(Number(match[1]));
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }),
  );
  return { ids, close: () => request.destroy() };
}

describe('where a stream starts', () => {
  it('a new client gets only events raised after it came, even those another process raised while nobody listened', async () => {
    const { app, context, url } = await serve();
    try {
      const first = follow(`${url}/api/events/stream`);
      await waitUntil(() => context.streams.open === 1, 5000, 'the first stream');
      first.close();
      await waitUntil(() => context.streams.open === 0, 5000, 'the first stream to end');
      await raise(5, 50, 0); // written straight to the store, as a check beside the service would: the tail is not told
      const client = follow(`${url}/api/events/stream`);
      await waitUntil(() => context.streams.open === 1, 5000, 'the stream');
      await raise(2, 50, 100);
      await context.tail.poke();
      await waitUntil(() => client.ids.length >= 2, 5000, 'two live events');
      await new Promise((resolve) => setTimeout(resolve, 600)); // a poll of the tail: nothing else comes
      client.close();
      expect(client.ids).toEqual([6, 7]);
    } finally {
      await app.close();
    }
  });

  it('a Last-Event-ID this database never gave (another database) means live events only', async () => {
    await raise(3, 50, 0);
    const { app, context, url } = await serve();
    try {
      const client = follow(`${url}/api/events/stream`, { 'Last-Event-ID': '999999' });
      await waitUntil(() => context.streams.open === 1, 5000, 'the stream');
      await raise(2, 50, 100);
      await context.tail.poke();
      await waitUntil(() => client.ids.length >= 2, 5000, 'two live events');
      client.close();
      expect(client.ids).toEqual([4, 5]);
    } finally {
      await app.close();
    }
  });
});

describe('without a token', () => {
  it.each([['evil.example'], ['evil.example:8080'], ['127.0.0.1.evil.example']])('refuses Host %s (DNS rebinding)', async (host) => {
    const { app } = buildHttpApp(service);
    const response = await app.inject({ url: '/api/monitors', headers: { host } });
    expect(response.statusCode).toBe(421);
    expect(response.json()).toMatchObject({ error: 'misdirected_host' });
  });

  it.each([['localhost:8080'], ['127.0.0.1'], ['[::1]:9000'], ['LOCALHOST']])('answers Host %s', async (host) => {
    const { app } = buildHttpApp(service);
    expect((await app.inject({ url: '/api/monitors', headers: { host } })).statusCode).toBe(200);
  });
});

describe('with a token', () => {
  const token = 's3cret-token-value';
  it.each([
    [{ authorization: `Bearer ${token}` }, 200],
    [{ authorization: `bearer ${token}` }, 200],
    [{ authorization: `BEARER ${token}` }, 200],
    [{ authorization: 'Bearer s3cret' }, 401], // a prefix
    [{ authorization: `Bearer ${token}x` }, 401],
    [{ authorization: `Bearer ${'x'.repeat(token.length)}` }, 401], // right length, wrong content
    [{ authorization: token }, 401], // no scheme
  ])('answers %j with %d', async (headers, status) => {
    const { app } = buildHttpApp(service, { token });
    expect((await app.inject({ url: '/api/monitors', headers })).statusCode).toBe(status);
  });

  it('answers any Host (the token is the guard), and loads the page without it', async () => {
    const { app } = buildHttpApp(service, { token });
    expect((await app.inject({ url: '/api/monitors', headers: { host: 'dashboard.example', authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/', headers: { host: 'dashboard.example' } })).statusCode).toBe(200);
  });

  it('sets an HttpOnly SameSite cookie from the header, which lets the event stream in without the token in its URL', async () => {
    const { app, url } = await serve({ token });
    try {
      const session = await app.inject({ method: 'POST', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
      expect(session.statusCode).toBe(204);
      const cookie = String(session.headers['set-cookie']);
      expect(cookie).toMatch(/^asterwatch_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/$/);
      expect(cookie).not.toContain(token); // derived from it: a new HTTP_TOKEN ends every session
      expect((await app.inject({ method: 'POST', url: '/api/session' })).statusCode).toBe(401);
      // The cookie stands for the token on reads only.
      expect((await app.inject({ method: 'POST', url: '/api/session', headers: { cookie: cookie.split(';')[0]! } })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/monitors', headers: { cookie: cookie.split(';')[0]! } })).statusCode).toBe(200);
      const status = await new Promise<number>((resolve) => {
        const request = httpRequest(`${url}/api/events/stream`, { headers: { cookie: cookie.split(';')[0]! } }, (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        request.end();
      });
      expect(status).toBe(200);
      expect((await app.inject({ url: '/api/monitors', headers: { cookie: 'asterwatch_session=wrong' } })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('every answer', () => {
  it.each([['/'], ['/api/monitors'], ['/metrics'], ['/nowhere'], ['/dashboard.js']])('%s carries the security headers', async (path) => {
    const { app } = buildHttpApp(service);
    const response = await app.inject(path);
    expect(response.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('a malformed URL, which fastify refuses before any hook, carries them too; data is never cached', async () => {
    const { app } = buildHttpApp(service);
    const refused = await app.inject('/%zz');
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-security-policy']).toContain("default-src 'none'");
    expect(refused.headers['x-frame-options']).toBe('DENY');
    expect((await app.inject('/api/monitors')).headers['cache-control']).toBe('no-store');
  });

  it('a 401 carries them too, and the page has no inline script or style', async () => {
    const { app } = buildHttpApp(service, { token: 't0ken' });
    const refused = await app.inject('/api/monitors');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['x-frame-options']).toBe('DENY');
    const page = (await app.inject('/')).body;
    expect(page).not.toMatch(/<script>|<style>|\sstyle="/);
  });
});

describe('metrics of deliveries', () => {
  it('count a delivery made through the outbox', async () => {
    const { app } = buildHttpApp(service);
    await service.runRound(Date.now());
    service.outbox.start();
    expect(await service.outbox.drain(5000)).toBe(true);
    expect((await app.inject('/metrics')).body).toContain('asterwatch_deliveries_total{sink="out",result="delivered"} 1');
    await app.close();
  });
});

describe('a port already in use', () => {
  it('is one typed error naming the address', async () => {
    const { createServer } = await import('node:http');
    const holder = createServer();
    const port = await listenOnLoopback(holder);
    try {
      await expect(startHttpServer(service, { host: '127.0.0.1', port }, silentLogger())).rejects.toMatchObject({
        code: 'HTTP_LISTEN',
        message: `cannot serve HTTP on 127.0.0.1:${port} (EADDRINUSE): another program listens there; stop it or choose another port with --http or HTTP_PORT`,
      });
    } finally {
      await closeServer(holder);
    }
  });
});
