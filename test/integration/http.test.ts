import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertSafeBinding, isLoopback } from '../../src/http/auth.js';
import { buildHttpApp, parseListenSpec, startHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { Service } from '../../src/service/service.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { waitUntil } from '../helpers/lines.js';

let exchange: FakeExchange;
let service: Service;

function openService(yaml: string): Service {
  const dir = mkdtempSync(join(tmpdir(), 'aw-http-'));
  writeFileSync(join(dir, 'monitors.yaml'), yaml);
  return Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
}

const CONFIG = `monitors:
  - name: majors
    monitoring_mode: market
    check_interval: 60
    monitored_assets:
      - { asset: BTC, condition: "> 50000" }
      - { asset: ETH, condition: ">> 5%" }
  - name: demo
    monitoring_mode: portfolio
    check_interval: 3600
    mock_account_data: '{"balances":[{"asset":"BTC","free":"1","locked":"0"}]}'
`;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  exchange.setPrice('ETHUSDT', 3000, 3000);
  service = openService(CONFIG);
});

afterEach(async () => {
  await service.stop(1000);
  await exchange.stop();
});

describe('the HTTP API, in process', () => {
  it('answers /healthz, and /readyz says which check failed until a round reached the exchange', async () => {
    const { app } = buildHttpApp(service);
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const before = await app.inject('/readyz');
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({ status: 'not ready', failed: ['exchange'] });
    await service.runRound(Date.now());
    const after = await app.inject('/readyz');
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({
      status: 'ready',
      failed: [],
      checks: { database: { ok: true }, rounds: { ok: true, stale: [] }, exchange: { ok: true } },
    });
  });

  it('reports stale monitors and an unreachable exchange', async () => {
    let now = Date.now();
    const { app } = buildHttpApp(service, { now: () => now });
    await service.runRound(now);
    now += 3 * 60_000; // majors (60 s) is now three periods old; demo (1 h) is fine
    exchange.faults.set(
      '/api/v1/ticker/price',
      Array.from({ length: 10 }, () => ({ status: 503, body: 'down' })),
    );
    await service.runRound(
      Date.now(),
      service.config.monitors.filter((m) => m.name === 'demo'),
    );
    const body = (await app.inject('/readyz')).json();
    expect(body.failed).toEqual(['rounds', 'exchange']);
    expect(body.checks.rounds.stale).toEqual(['majors']);
    expect(body.checks.exchange.error).toMatch(/HTTP 503/);
  });

  it('lists monitors with schedule, last run and per-subject state', async () => {
    const { app } = buildHttpApp(service);
    await service.runRound(Date.now());
    const { monitors } = (await app.inject('/api/monitors')).json();
    expect(monitors.map((m: { name: string }) => m.name)).toEqual(['majors', 'demo']);
    const majors = monitors[0];
    expect(majors).toMatchObject({
      mode: 'market',
      interval_seconds: 60,
      schedule: null,
      notify: ['stdout'],
      last_run: { result: 'ok', error: null, events: 1 },
    });
    expect(Date.parse(majors.next_run)).toBeGreaterThan(Date.now() - 1000);
    expect(majors.subjects[0]).toMatchObject({
      subject: 'BTC',
      symbol: 'BTCUSDT',
      condition: '> 50000',
      level: 50000,
      value: 60000,
      previous: 50000,
      armed: true,
    });
    expect(majors.subjects[0].history).toHaveLength(1);
    expect(majors.subjects[1]).toMatchObject({ subject: 'ETH', level: null, armed: true });
    expect(monitors[1].subjects[0]).toMatchObject({ subject: 'portfolio', value: 60000, previous: 50000 });
  });

  it('pages events newest first, filters by monitor and time, and rejects bad parameters', async () => {
    const { app } = buildHttpApp(service);
    for (let i = 0; i < 3; i++) await service.runRound(Date.now() + i);
    const first = (await app.inject('/api/events?limit=2')).json();
    expect(first.events).toHaveLength(2);
    const second = (await app.inject(`/api/events?limit=2&before=${first.next_before}`)).json();
    const all = (await app.inject('/api/events?limit=500')).json();
    expect([...first.events, ...second.events].map((e: { id: string }) => e.id)).toEqual(all.events.slice(0, 4).map((e: { id: string }) => e.id));
    // Distinct events, newest first (ids are unique; times do not go up down the list).
    const ids = all.events.map((e: { id: string }) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ids).size).toBe(ids.length);
    const times = all.events.map((e: { time: string }) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const demo = (await app.inject('/api/events?monitor=demo')).json().events as Array<{ data: { monitor: string } }>;
    expect(demo.length).toBeGreaterThan(0);
    expect(demo.every((e) => e.data.monitor === 'demo')).toBe(true);
    expect((await app.inject(`/api/events?since=${new Date(Date.now() + 60_000).toISOString()}`)).json().events).toEqual([]);
    expect((await app.inject('/api/events?limit=0')).statusCode).toBe(400);
    expect((await app.inject('/api/events?since=yesterday')).json().message).toMatch(/since must be/);
  });

  it('exposes Prometheus metrics', async () => {
    const { app } = buildHttpApp(service);
    await service.runRound(Date.now());
    const response = await app.inject('/metrics');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    for (const line of [
      'asterwatch_checks_total{monitor="majors",result="ok"} 1',
      'asterwatch_events_total{type="asterex.market.condition_met",severity="medium"} 1',
      'asterwatch_exchange_requests_total{endpoint="/api/v1/ticker/price"} 1',
      'asterwatch_outbox_depth{sink="stdout",status="pending"} 2',
      'asterwatch_check_duration_seconds_count 2',
      'asterwatch_rate_limit_waits_total 0',
      'asterwatch_process_cpu_seconds_total',
    ])
      expect(text).toContain(line);
  });

  it('serves the dashboard page', async () => {
    const response = await buildHttpApp(service).app.inject('/');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>asterwatch</title>');
  });
});

describe('the bearer token', () => {
  it('protects everything but /healthz, by header or access_token', async () => {
    const { app } = buildHttpApp(service, { token: 's3cret-token' });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    for (const path of ['/readyz', '/metrics', '/api/monitors', '/api/events']) expect((await app.inject(path)).statusCode).toBe(401);
    // The page and its files hold no data: they load, and the page then sends the token itself.
    for (const path of ['/', '/dashboard.js', '/dashboard.css']) expect((await app.inject(path)).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/monitors', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/monitors', headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
    expect((await app.inject('/api/monitors?access_token=s3cret-token')).statusCode).toBe(200);
  });

  it('is required to bind anywhere but loopback', () => {
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost') && isLoopback('127.3.2.1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(() => assertSafeBinding('0.0.0.0', undefined)).toThrow(/refusing to serve HTTP on 0.0.0.0 without a token/);
    expect(() => assertSafeBinding('0.0.0.0', 'token')).not.toThrow();
    expect(() => assertSafeBinding('127.0.0.1', undefined)).not.toThrow();
  });

  it.each([
    ['8080', { host: '127.0.0.1', port: 8080 }],
    ['0.0.0.0:9000', { host: '0.0.0.0', port: 9000 }],
    ['[::1]:7000', { host: '::1', port: 7000 }],
  ])('parses --http %s', (spec, listen) => expect(parseListenSpec(spec)).toEqual(listen));

  it('rejects a malformed --http', () => {
    expect(() => parseListenSpec('http://x')).toThrow(/must be \[HOST:\]PORT/);
    expect(() => parseListenSpec('70000')).toThrow(/must be \[HOST:\]PORT/);
  });
});

describe('the HTTP surface on a real socket', () => {
  it('streams events as Server-Sent Events while rounds run, and replays after Last-Event-ID', async () => {
    const server = await startHttpServer(service, { host: '127.0.0.1', port: 0 }, silentLogger());
    try {
      const messages: string[] = [];
      const request = get(`${server.url}/api/events/stream`, (response) => {
        expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        response.on('data', (chunk: Buffer) => messages.push(chunk.toString()));
      });
      await waitUntil(() => messages.join('').includes(': connected'), 5000, 'the stream to open');
      await service.runRound(Date.now());
      await waitUntil(() => (messages.join('').match(/event: condition_met/g) ?? []).length === 2, 5000, 'two live events');
      request.destroy();
      const ids = [...messages.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      expect(ids).toEqual([1, 2]);

      const replay: string[] = [];
      const again = get(`${server.url}/api/events/stream`, { headers: { 'Last-Event-ID': '1' } }, (response) =>
        response.on('data', (c: Buffer) => replay.push(c.toString())),
      );
      await waitUntil(() => replay.join('').includes('id: 2'), 5000, 'the replay');
      again.destroy();
      expect(replay.join('')).not.toContain('id: 1\n');
    } finally {
      await server.close();
    }
  });
});
