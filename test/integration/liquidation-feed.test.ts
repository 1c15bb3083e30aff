/**
 * The liquidation feed against a local WebSocket server playing the exchange, recorded in
 * a real SQLite file: normalisation, duplicates, malformed frames, a dropped connection
 * (reconnect, gap, `complete: false` territory), the lifetime switch, the process being down.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { SqliteStore } from '../../src/store/index.js';
import { LiquidationFeed, type LiquidationFeedOptions } from '../../src/streams/liquidations/feed.js';
import type { Liquidation } from '../../src/streams/liquidations/liquidation.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { waitUntil, waitUntilAsync } from '../helpers/lines.js';
import { frame } from '../support/liquidations.js';

let server: FakeStreamServer;
let store: SqliteStore;
let path: string;
let feed: LiquidationFeed | undefined;

beforeEach(async () => {
  server = await new FakeStreamServer().start();
  path = join(mkdtempSync(join(tmpdir(), 'aw-feed-')), 'state.db');
  store = SqliteStore.open(path);
});

afterEach(async () => {
  await feed?.stop();
  feed = undefined;
  await store.close();
  await server.stop();
});

function open(options: Partial<LiquidationFeedOptions> = {}): LiquidationFeed {
  feed = new LiquidationFeed({
    venues: ['aster'],
    store: store.liquidations,
    logger: silentLogger(),
    lifetimeSeconds: 3600,
    env: { ASTER_WS_URL: server.url() },
    commitEveryMs: 20,
    aliveEveryMs: 50,
    connection: { backoff: { initialMs: 30, maxMs: 100, random: () => 0.5 } },
    ...options,
  });
  return feed;
}

const all = { since: 0, until: Date.now() + 3_600_000 };

describe('the liquidation feed', () => {
  it('records both sides, drops a duplicate and a malformed frame, and tells subscribers once', async () => {
    const f = open();
    const told: Liquidation[] = [];
    f.subscribe((rows) => told.push(...rows));
    await f.start();
    await waitUntil(() => f.statuses()[0]?.connected === true, 5000, 'the connection');
    const long = frame({ s: 'ETHUSDT', S: 'SELL', q: '72.9', p: '4300', ap: '4319.20', T: Date.now() });
    server.broadcast(long);
    server.broadcast(long); // the same frame again
    server.broadcast('{"e":"forceOrder","o":{"s":"BTCUSDT","S":"BUY","q":"0","p":"0","T":1}}');
    server.broadcast('not json');
    server.broadcast(frame({ s: 'BTCUSDT', S: 'BUY', q: '18.562', p: '64647.00', T: Date.now() }));
    await waitUntilAsync(async () => (await store.liquidations.totals(all)).count === 2, 5000, 'two liquidations stored');

    const totals = await store.liquidations.totals(all);
    expect(totals).toMatchObject({ count: 2, longCount: 1, shortCount: 1 });
    expect(totals.longUsd).toBeCloseTo(4319.2 * 72.9, 6);
    expect(told.map((l) => [l.asset, l.side])).toEqual([
      ['ETH', 'long'],
      ['BTC', 'short'],
    ]);
    expect(f.counted('aster')!.messages).toEqual({ ok: 2, duplicate: 1 });
    expect(f.statuses()[0]).toMatchObject({ feed: 'aster', connected: true, malformed: 2 });
  });

  it('reconnects after the server drops it and records the time away as a gap', async () => {
    const f = open();
    await f.start();
    await waitUntil(() => f.statuses()[0]?.connected === true, 5000, 'the connection');
    const droppedAt = Date.now();
    server.dropAll();
    await waitUntil(() => server.connections.length === 2 && f.statuses()[0]?.connected === true, 5000, 'the reconnection');
    await waitUntilAsync(async () => (await store.liquidations.gaps(droppedAt - 1, Date.now())).length === 1, 5000, 'the gap');
    const [gap] = await store.liquidations.gaps(droppedAt - 1, Date.now());
    expect(gap!.venue).toBe('aster');
    expect(gap!.start).toBeGreaterThanOrEqual(droppedAt - 50);
    expect(gap!.end).toBeGreaterThan(gap!.start);
    expect(f.statuses()[0]!.reconnects).toBe(1);
  });

  it('loses nothing while a message arrives during the lifetime switch', async () => {
    const f = open({ lifetimeSeconds: 0.3 });
    await f.start();
    await waitUntil(() => f.statuses()[0]?.connected === true, 5000, 'the connection');
    let n = 0;
    const t0 = Date.now();
    const sender = setInterval(() => server.broadcast(frame({ s: 'SOLUSDT', S: 'SELL', q: '1', p: String(100 + ++n), T: t0 + n })), 5);
    await waitUntil(() => server.connections.length >= 2 && server.clients.size === 1, 5000, 'the replacement');
    await new Promise((resolve) => setTimeout(resolve, 40));
    clearInterval(sender);
    const sent = n;
    await waitUntilAsync(async () => (await store.liquidations.totals(all)).count === sent, 5000, 'every liquidation');
    expect(f.statuses()[0]!.reconnects).toBe(0);
  });

  it('records the time the process was down as a gap reaching back to the last sign of life', async () => {
    // A previous run's last sign of life, 2 s ago (it was killed then).
    const alive = Date.now() - 2000;
    await store.liquidations.markAlive('aster', alive);
    const f = open();
    await f.start();
    await waitUntil(() => f.statuses()[0]?.connected === true, 5000, 'the connection');
    await waitUntilAsync(async () => (await store.liquidations.gaps(alive, Date.now())).length > 0, 5000, 'the downtime gap');
    const [gap] = await store.liquidations.gaps(alive, Date.now());
    expect(gap!.start).toBe(alive);
    expect(gap!.end - gap!.start).toBeGreaterThanOrEqual(2000);
    // While connected, the sign of life moves on.
    await waitUntilAsync(async () => (await store.liquidations.lastAlive('aster'))! > gap!.end, 5000, 'a new sign of life');
  });

  it('refuses a stream URL that is not a WebSocket URL before starting', () => {
    expect(() => open({ env: { ASTER_WS_URL: 'https://fstream.asterdex.com' } })).toThrow(/ASTER_WS_URL must be a WebSocket URL/);
    feed = undefined;
  });
});
