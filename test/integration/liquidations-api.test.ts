/**
 * The liquidation API against a reference computation of the stored rows: every route,
 * its defaults, filters, cursors and 400s; gaps and completeness; the live stream;
 * readiness and metrics of the feed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHttpApp, startHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { Service } from '../../src/service/service.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { waitUntil } from '../helpers/lines.js';
import { frame, generate, matching, reference } from '../support/liquidations.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0) + 17_345;
const ROWS = generate(2500, NOW - 30 * HOUR, NOW, 11);
const cents = (n: number) => Math.round(n * 100) / 100;
const iso = (ms: number) => new Date(ms).toISOString();

let stream: FakeStreamServer;
let service: Service;
let app: FastifyInstance;
const savedUrl = process.env.ASTER_WS_URL;

beforeAll(async () => {
  stream = await new FakeStreamServer().start();
  process.env.ASTER_WS_URL = stream.url();
});
afterAll(async () => {
  if (savedUrl === undefined) delete process.env.ASTER_WS_URL;
  else process.env.ASTER_WS_URL = savedUrl;
  await stream.stop();
});

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-liq-api-'));
  writeFileSync(
    join(dir, 'monitors.yaml'),
    'liquidations: { venues: [aster] }\nmonitors:\n  - { name: p, monitoring_mode: portfolio, mock_account_data: \'{"balances":[]}\', check_interval: 86400 }\n',
  );
  service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), now: () => NOW });
  await service.store.liquidations.record(ROWS);
  ({ app } = buildHttpApp(service, { now: () => NOW }));
});

afterEach(async () => {
  await app.close();
  await service.stop(1000);
});

const json = async (url: string) => {
  const response = await app.inject(url);
  return { status: response.statusCode, body: response.json() };
};

describe('GET /api/liquidations/total', () => {
  it('defaults to the last 24 h and sums to the cent, with the largest liquidation, sampled', async () => {
    const { body } = await json('/api/liquidations/total');
    const want = reference(matching(ROWS, { since: NOW - 24 * HOUR, until: NOW }));
    expect(body).toMatchObject({
      since: iso(NOW - 24 * HOUR),
      until: iso(NOW),
      total_usd: cents(want.total),
      count: want.count,
      long_usd: cents(want.long),
      long_count: want.longCount,
      short_usd: cents(want.short),
      short_count: want.shortCount,
      sampled: true,
    });
    expect(body.largest.notional_usd).toBe(want.largest);
    expect(body.largest).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        venue: expect.any(String),
        symbol: expect.any(String),
        asset: expect.any(String),
        side: expect.any(String),
        price: expect.any(Number),
        quantity: expect.any(Number),
        time: expect.any(String),
      }),
    );
  });

  it.each([
    ['venue=binance', { venue: 'binance' as const }],
    ['side=long', { side: 'long' as const }],
    ['symbol=ETHUSDT', { symbol: 'ETHUSDT' }],
    ['symbol=btcusdt&side=short&venue=aster', { symbol: 'BTCUSDT', side: 'short' as const, venue: 'aster' as const }],
  ])('filters by %s', async (queryString, filter) => {
    const since = NOW - 20 * HOUR + 12_345;
    const { body } = await json(`/api/liquidations/total?since=${iso(since)}&until=${NOW - HOUR}&${queryString}`);
    const want = reference(matching(ROWS, { since, until: NOW - HOUR, ...filter }));
    expect([body.total_usd, body.count, body.long_usd, body.short_usd]).toEqual([cents(want.total), want.count, cents(want.long), cents(want.short)]);
  });

  it('lists the feed gaps over the range and is complete only without one', async () => {
    await service.store.liquidations.recordGap({ venue: 'aster', start: NOW - 3 * HOUR, end: NOW - 3 * HOUR + 90_000 });
    const over = (await json(`/api/liquidations/total?since=${NOW - 4 * HOUR}&until=${NOW - 2 * HOUR}`)).body;
    expect(over.gaps).toEqual([{ venue: 'aster', start: iso(NOW - 3 * HOUR), end: iso(NOW - 3 * HOUR + 90_000) }]);
    expect(over.complete).toBe(false);
    const clear = (await json(`/api/liquidations/total?since=${NOW - 2 * HOUR}&until=${NOW - HOUR}`)).body;
    expect(clear).toMatchObject({ gaps: [], complete: true });
  });
});

describe('GET /api/liquidations/series', () => {
  it.each([
    ['15m', 900],
    ['1h', 3600],
    ['300', 300],
    ['1d', 86_400],
  ])('gives every bucket of %s aligned to the epoch, empty ones with zeros', async (interval, seconds) => {
    const since = NOW - 6 * HOUR - 123_456;
    const { body } = await json(`/api/liquidations/series?interval=${interval}&since=${since}&until=${NOW}`);
    const step = seconds * 1000;
    const first = Math.floor(since / step) * step;
    expect(body.interval_seconds).toBe(seconds);
    expect(body.buckets[0].start).toBe(iso(first));
    expect(body.buckets.at(-1).start).toBe(iso(Math.floor(NOW / step) * step));
    for (const bucket of body.buckets) {
      const start = Date.parse(bucket.start);
      expect(start % step).toBe(0);
      const want = reference(matching(ROWS, { since, until: NOW }).filter((l) => Math.floor(l.time / step) * step === start));
      expect([bucket.total_usd, bucket.long_usd, bucket.short_usd, bucket.count, bucket.largest_usd]).toEqual([
        cents(want.total),
        cents(want.long),
        cents(want.short),
        want.count,
        want.largest,
      ]);
    }
    expect(body.sampled).toBe(true);
  });

  it('has zeros in the buckets of a quiet range', async () => {
    const { body } = await json(`/api/liquidations/series?interval=1h&since=${NOW - 40 * HOUR}&until=${NOW - 35 * HOUR}`);
    expect(body.buckets).toHaveLength(6);
    expect(
      body.buckets.every((b: { total_usd: number; count: number; largest_usd: number }) => b.total_usd === 0 && b.count === 0 && b.largest_usd === 0),
    ).toBe(true);
  });
});

describe('GET /api/liquidations and /leaders', () => {
  it('pages newest first with next_before until the end, filtered by min_usd, each item once', async () => {
    const seen: Array<{ id: string; time: string; notional_usd: number }> = [];
    let url = `/api/liquidations?limit=200&min_usd=25k&since=${NOW - 10 * HOUR}`;
    for (let page = 0; page < 50; page++) {
      const { body } = await json(url);
      seen.push(...body.liquidations);
      if (body.next_before === null) break;
      url = `/api/liquidations?limit=200&min_usd=25k&since=${NOW - 10 * HOUR}&before=${body.next_before}`;
    }
    const want = matching(ROWS, { since: NOW - 10 * HOUR, until: NOW }).filter((l) => l.notionalUsd >= 25_000);
    expect(seen).toHaveLength(want.length);
    expect(new Set(seen.map((s) => s.id)).size).toBe(want.length);
    const times = seen.map((s) => Date.parse(s.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('defaults to 50 items', async () => {
    expect((await json('/api/liquidations')).body.liquidations).toHaveLength(50);
  });

  it('lists the biggest liquidations of the range, biggest first (the dashboard’s list)', async () => {
    const { body } = await json(`/api/liquidations/largest?limit=5&since=${NOW - 6 * HOUR}&side=short`);
    const want = matching(ROWS, { since: NOW - 6 * HOUR, until: NOW, side: 'short' })
      .sort((a, b) => b.notionalUsd - a.notionalUsd)
      .slice(0, 5);
    expect(body.since).toBe(iso(NOW - 6 * HOUR));
    expect(body.liquidations.map((l: { id: string; notional_usd: number }) => l.id)).toEqual(want.map((l) => l.id));
    expect((await json('/api/liquidations/largest')).body.liquidations).toHaveLength(10);
  });

  it('ranks the leading symbols by total', async () => {
    const { body } = await json('/api/liquidations/leaders?limit=3');
    const day = matching(ROWS, { since: NOW - 24 * HOUR, until: NOW });
    const want = [...new Set(day.map((l) => l.symbol))]
      .map((symbol) => ({ symbol, ...reference(day.filter((l) => l.symbol === symbol)) }))
      .sort((a, b) => b.total - a.total)
      .slice(0, 3);
    expect(body.symbols.map((s: { symbol: string; total_usd: number; count: number }) => [s.symbol, s.total_usd, s.count])).toEqual(
      want.map((w) => [w.symbol, cents(w.total), w.count]),
    );
  });
});

describe('bad parameters', () => {
  it.each([
    ['/api/liquidations/total?since=yesterday', 'since'],
    ['/api/liquidations/total?until=soon', 'until'],
    [`/api/liquidations/total?since=${NOW}&until=${NOW - 1}`, 'since'],
    ['/api/liquidations/total?venue=kraken', 'venue'],
    ['/api/liquidations/total?side=up', 'side'],
    ['/api/liquidations/total?symbol=btc-usdt', 'symbol'],
    ['/api/liquidations?limit=0', 'limit'],
    ['/api/liquidations?limit=501', 'limit'],
    ['/api/liquidations?min_usd=lots', 'min_usd'],
    ['/api/liquidations?before=whenever', 'before'],
    ['/api/liquidations/series', 'interval'],
    ['/api/liquidations/series?interval=30', 'interval'],
    ['/api/liquidations/series?interval=2d', 'interval'],
    [`/api/liquidations/series?interval=1m&since=${NOW - 3 * 24 * HOUR}`, 'interval'],
    ['/api/liquidations/leaders?limit=x', 'limit'],
    ['/api/liquidations/largest?limit=101', 'limit'],
  ])('%s is a 400 naming %s', async (url, field) => {
    const { status, body } = await json(url);
    expect(status).toBe(400);
    expect(body).toEqual({ error: expect.any(String), field });
  });
});

describe('the live feed over HTTP', () => {
  it('streams stored liquidations above min_usd, and readiness and metrics show the venue', async () => {
    await service.start();
    await waitUntil(() => stream.clients.size === 1, 5000, 'the feed to connect');
    const server = await startHttpServer(service, { host: '127.0.0.1', port: 0 }, silentLogger());
    try {
      const received: string[] = [];
      const request = get(`${server.url}/api/liquidations/stream?min_usd=1000`, (response) => response.on('data', (c: Buffer) => received.push(c.toString())));
      await waitUntil(() => received.join('').includes(': connected'), 5000, 'the stream');
      stream.broadcast(frame({ s: 'DOGEUSDT', S: 'SELL', q: '10', p: '0.1', T: NOW })); // $1: below min_usd
      stream.broadcast(frame({ s: 'ETHUSDT', S: 'SELL', q: '72.9', p: '4319.20', T: NOW }));
      await waitUntil(() => received.join('').includes('event: liquidation'), 5000, 'a liquidation');
      request.destroy();
      const events = received
        .join('')
        .split('\n\n')
        .filter((m) => m.startsWith('event: liquidation'));
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.split('data: ')[1]!)).toMatchObject({
        venue: 'aster',
        symbol: 'ETHUSDT',
        asset: 'ETH',
        side: 'long',
        price: 4319.2,
        quantity: 72.9,
      });

      const ready = (await app.inject('/readyz')).json();
      expect(ready.checks.feeds).toMatchObject({ ok: true, feeds: [{ feed: 'aster', connected: true, reconnects: 0 }] });
      const metrics = (await app.inject('/metrics')).body;
      for (const line of [
        'asterwatch_liquidations_total{venue="aster",side="long"} 2',
        'asterwatch_liquidations_total{venue="aster",side="short"} 0',
        'asterwatch_feed_connected{venue="aster"} 1',
        'asterwatch_feed_reconnects_total{venue="aster"} 0',
        'asterwatch_feed_messages_total{venue="aster",result="ok"} 2',
        'asterwatch_feed_gap_seconds_total{venue="aster"}',
        'asterwatch_liquidation_notional_usd_total{venue="aster",side="long"}',
      ])
        expect(metrics).toContain(line);
    } finally {
      await server.close();
    }
  });
});
