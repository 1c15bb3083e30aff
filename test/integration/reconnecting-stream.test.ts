/**
 * The stream seam against a real WebSocket server on 127.0.0.1: reconnect with backoff,
 * gaps, heartbeat on a half-open connection, make-before-break after the lifetime, and
 * malformed frames dropped without a crash.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { MalformedFrameError, ReconnectingStream, type ReconnectingStreamOptions } from '../../src/streams/reconnecting-stream.js';
import type { FeedGap } from '../../src/streams/stream-source.js';
import { WsTransport } from '../../src/streams/ws-transport.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { waitUntil } from '../helpers/lines.js';

interface Tick {
  n: number;
}

function decode(frame: string): Tick[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    throw new MalformedFrameError('not JSON');
  }
  if (typeof (parsed as Tick).n !== 'number') throw new MalformedFrameError('no n');
  return [parsed as Tick];
}

let server: FakeStreamServer;
let stream: ReconnectingStream<Tick> | undefined;
const received: number[] = [];
const gaps: FeedGap[] = [];

function open(options: Partial<ReconnectingStreamOptions<Tick>> = {}): ReconnectingStream<Tick> {
  stream = new ReconnectingStream<Tick>({
    key: 'test:feed',
    url: server.url(),
    transport: new WsTransport(),
    decode,
    logger: silentLogger(),
    backoff: { initialMs: 50, maxMs: 200, random: () => 0.5 },
    ...options,
  });
  stream.start({ item: (t) => received.push(t.n), gap: (g) => gaps.push(g) });
  return stream;
}

beforeEach(async () => {
  server = await new FakeStreamServer().start();
  received.length = 0;
  gaps.length = 0;
});

afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await server.stop();
});

describe('a reconnecting stream', () => {
  it('delivers frames, reports the span before the first connection as a gap, and is connected', async () => {
    const s = open();
    await waitUntil(() => server.clients.size === 1 && s.status().connected, 5000, 'the connection');
    server.broadcast({ n: 1 });
    server.broadcast({ n: 2 });
    await waitUntil(() => received.length === 2, 5000, 'two frames');
    expect(received).toEqual([1, 2]);
    expect(gaps).toHaveLength(1);
    expect(s.status()).toMatchObject({ feed: 'test:feed', connected: true, reconnects: 0, messages: 2 });
  });

  it('reconnects after the server drops it, and records the time it was away as a gap', async () => {
    const s = open();
    await waitUntil(() => s.status().connected, 5000, 'the connection');
    gaps.length = 0;
    server.dropAll();
    await waitUntil(() => !s.status().connected, 5000, 'the disconnection');
    await waitUntil(() => s.status().connected && server.connections.length === 2, 5000, 'the reconnection');
    expect(s.status().reconnects).toBe(1);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.end).toBeGreaterThan(gaps[0]!.start);
    server.broadcast({ n: 3 });
    await waitUntil(() => received.includes(3), 5000, 'a frame after the reconnection');
  });

  it('keeps retrying with backoff while the server is down, and connects when it is back', async () => {
    const port = Number(new URL(server.url()).port);
    const s = open();
    await waitUntil(() => s.status().connected, 5000, 'the connection');
    await server.stop();
    await waitUntil(() => s.status().reconnects >= 3, 5000, 'several failed attempts');
    expect(s.status().connected).toBe(false);
    server = await new FakeStreamServer().start({ port });
    await waitUntil(() => s.status().connected, 5000, 'the reconnection');
    expect(gaps.at(-1)!.end - gaps.at(-1)!.start).toBeGreaterThan(0);
  });

  it('drops a half-open connection whose pong does not come back, and reconnects', async () => {
    await server.stop();
    server = await new FakeStreamServer().start({ answerPings: false });
    const s = open({ pingIntervalMs: 50, pongTimeoutMs: 100 });
    await waitUntil(() => server.connections.length >= 2, 5000, 'a reconnection after the missing pong');
    expect(s.status().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('opens the next connection before closing the old one after its lifetime, losing nothing', async () => {
    const s = open({ lifetimeMs: 300 });
    await waitUntil(() => s.status().connected, 5000, 'the connection');
    // Keep sending through the switch: every frame must arrive at least once.
    let n = 0;
    const sender = setInterval(() => server.broadcast({ n: ++n }), 10);
    await waitUntil(() => server.connections.length >= 2 && server.clients.size === 1, 5000, 'the replacement');
    await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(sender);
    const sent = n;
    await waitUntil(() => new Set(received).size >= sent, 5000, 'every frame');
    expect([...new Set(received)].sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(s.status().reconnects).toBe(0);
    expect(gaps).toHaveLength(1); // only the one before the first connection
  });

  it('drops and counts malformed frames without disconnecting', async () => {
    const s = open();
    await waitUntil(() => s.status().connected, 5000, 'the connection');
    server.broadcast('not json');
    server.broadcast({ x: 1 });
    server.broadcast({ n: 7 });
    await waitUntil(() => received.length === 1, 5000, 'the good frame');
    expect(s.status()).toMatchObject({ connected: true, messages: 1, malformed: 2, reconnects: 0 });
  });
});
