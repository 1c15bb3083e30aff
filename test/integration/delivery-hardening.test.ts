/**
 * Delivery against hostile or broken receivers: absurd Retry-After, a sink failing for days
 * without an attempt due, the real cause of an unreachable webhook, a webhook that never
 * answers at shutdown, the file sink's fsync and path, the backoff ceiling, 408, escaping.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { FileSink, FileSinkPathError, sinkPath } from '../../src/delivery/sinks/file.js';
import { DeliveryError, type Sink } from '../../src/delivery/sinks/sink.js';
import { renderTelegramMessage } from '../../src/delivery/sinks/telegram-message.js';
import { WebhookSink } from '../../src/delivery/sinks/webhook.js';
import type { AlertEvent } from '../../src/events/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { closeServer, listenOnLoopback } from '../../src/testing/loopback-server.js';
import { Receiver } from '../helpers/receiver.js';

const event = (n = 1, monitor = 'm') =>
  marketEvent(
    { monitor, condition: '> 1', severity: SEVERITY.low, roundTime: n, checkedAt: new Date(n) },
    { asset: 'BTC', symbol: 'BTCUSDT', current: 2, previous: 1 },
  );

class FailingSink implements Sink {
  readonly type = 'failing';
  readonly minSeverity = 0;
  attempts = 0;
  constructor(
    readonly name: string,
    private readonly error: () => DeliveryError,
  ) {}
  async deliver(): Promise<void> {
    this.attempts++;
    throw this.error();
  }
}

let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) await closeServer(server);
  server = undefined;
});

async function raise(store: MemoryStore, sinks: string[], n = 1) {
  return store.commit({ roundTime: n, checkedAt: n, states: [], statuses: [], events: [{ event: event(n), monitor: 'm', severity: 0.15, sinks }] });
}

describe('a receiver asking for an absurd wait', () => {
  it('is waited for at most the backoff ceiling (Retry-After 999999999 s)', async () => {
    const store = new MemoryStore();
    await raise(store, ['a'], 1000);
    const now = 10_000;
    const sink = new FailingSink('a', () => new DeliveryError('429', { retryable: true, retryAfterMs: 999_999_999_000 }));
    const outbox = new Outbox(store, [sink], silentLogger(), { maxBackoffMs: 300_000, now: () => now });
    await outbox.deliverDue(sink);
    expect((await store.outbox.head('a'))!.nextAttemptAt).toBe(now + 300_000);
  });

  it('never waits longer than the backoff ceiling after many failures', async () => {
    const store = new MemoryStore();
    await raise(store, ['a'], 1000);
    let now = 10_000;
    const sink = new FailingSink('a', () => new DeliveryError('503', { retryable: true }));
    const outbox = new Outbox(store, [sink], silentLogger(), {
      backoffBaseMs: 1000,
      maxBackoffMs: 60_000,
      deadAfterAttempts: 1000,
      deadAfterMs: 10 ** 12,
      now: () => now,
      random: () => 1,
    });
    const waits: number[] = [];
    for (let i = 0; i < 30; i++) {
      await outbox.deliverDue(sink);
      const head = (await store.outbox.head('a'))!;
      waits.push(head.nextAttemptAt - now);
      now = head.nextAttemptAt;
    }
    expect(Math.max(...waits)).toBe(60_000);
    expect(waits.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
  });

  it('moves a sink failing longer than dead_after_seconds to dead when its loop looks, though no attempt is due', async () => {
    const store = new MemoryStore();
    await raise(store, ['a'], 1000);
    await raise(store, ['a'], 1001);
    let now = 10_000;
    const sink = new FailingSink('a', () => new DeliveryError('429', { retryable: true, retryAfterMs: 300_000 }));
    const outbox = new Outbox(store, [sink], silentLogger(), { deadAfterMs: 60_000, now: () => now });
    await outbox.deliverDue(sink); // fails once: the next attempt is 5 minutes away
    now += 60_001; // failing for longer than dead_after, the next attempt still 4 minutes away
    await outbox.deliverDue(sink);
    expect(sink.attempts).toBe(1);
    expect(await store.outbox.summary()).toEqual([expect.objectContaining({ sink: 'a', pending: 0, dead: 2 })]);
  });
});

describe('an unreachable webhook', () => {
  it('names the real cause: a closed port is ECONNREFUSED', async () => {
    const receiver = await new Receiver().start();
    const url = receiver.url;
    await receiver.stop();
    const error = (await new WebhookSink('ops', url, undefined, 0, 2000).deliver(event()).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });

  it('names the real cause: a reset connection is ECONNRESET', async () => {
    server = createServer((req) => req.socket.destroy());
    const port = await listenOnLoopback(server);
    const error = (await new WebhookSink('ops', `http://127.0.0.1:${port}/`, undefined, 0, 2000).deliver(event()).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(/unreachable \((ECONNRESET|UND_ERR_SOCKET)\)/);
    expect(error.message).not.toMatch(/TypeError/);
  });

  it('names a timeout with its length', async () => {
    server = createServer(() => undefined); // never answers
    const port = await listenOnLoopback(server);
    const error = (await new WebhookSink('ops', `http://127.0.0.1:${port}/`, undefined, 0, 200).deliver(event()).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(/unreachable \(timed out after 200 ms\)/);
  });

  it('treats 408 as retryable', async () => {
    const receiver = await new Receiver().start();
    receiver.answers.push({ status: 408, body: { error: 'slow' } });
    try {
      const error = (await new WebhookSink('ops', receiver.url, undefined, 0, 2000).deliver(event()).catch((e: unknown) => e)) as DeliveryError;
      expect(error.retryable).toBe(true);
    } finally {
      await receiver.stop();
    }
  });
});

describe('shutdown with a webhook that never answers', () => {
  it('stops within its grace, leaving the delivery pending, not failed', async () => {
    server = createServer(() => undefined);
    const port = await listenOnLoopback(server);
    const store = new MemoryStore();
    await raise(store, ['ops'], 1000);
    const outbox = new Outbox(store, [new WebhookSink('ops', `http://127.0.0.1:${port}/`, undefined, 0, 60_000)], silentLogger());
    outbox.start();
    expect(await outbox.drain(300)).toBe(false);
    const started = Date.now();
    await outbox.stop(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await store.outbox.summary()).toEqual([expect.objectContaining({ sink: 'ops', pending: 1, dead: 0 })]);
    expect((await store.outbox.claim('ops', { limit: 1, leaseMs: 1000, now: Date.now() })).deliveries[0]?.attempts).toBe(0);
  });
});

describe('drain', () => {
  it('is not done while a delivery waits for its retry', async () => {
    const store = new MemoryStore();
    await raise(store, ['a'], 1000);
    let failures = 1;
    const sink: Sink = {
      name: 'a',
      type: 't',
      minSeverity: 0,
      deliver: async () => {
        if (failures-- > 0) throw new DeliveryError('503', { retryable: true, retryAfterMs: 400 });
      },
    };
    const outbox = new Outbox(store, [sink], silentLogger());
    outbox.start();
    expect(await outbox.drain(100)).toBe(false); // waiting for the retry
    expect(await outbox.drain(3000)).toBe(true); // delivered on the retry
    await outbox.stop();
  });
});

describe('the file sink', () => {
  it('fsyncs each line after writing it and before the delivery resolves', async () => {
    const calls: string[] = [];
    const path = join(mkdtempSync(join(tmpdir(), 'aw-file-')), 'alerts.jsonl');
    const sink = new FileSink('archive', path, 0, {
      writeSync: (_fd, text) => {
        calls.push(`write ${text.length}`);
        return text.length;
      },
      fsyncSync: () => void calls.push('fsync'),
    });
    const delivered = sink.deliver(event()).then(() => calls.push('resolved'));
    await delivered;
    await sink.close();
    expect(calls).toEqual([`write ${JSON.stringify(event()).length + 1}`, 'fsync', 'resolved']);
  });

  it('creates the file readable by its owner only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-file-')), 'alerts.jsonl');
    const sink = new FileSink('archive', path, 0);
    await sink.deliver(event());
    await sink.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('expands ~/ to the home directory and refuses a missing directory at creation, never creating it', () => {
    expect(sinkPath('~/alerts.jsonl', '/etc')).toBe(join(homedir(), 'alerts.jsonl'));
    expect(sinkPath('alerts.jsonl', '/srv/aw')).toBe('/srv/aw/alerts.jsonl');
    const missing = join(mkdtempSync(join(tmpdir(), 'aw-file-')), 'no', 'such', 'alerts.jsonl');
    expect(() => new FileSink('archive', missing, 0)).toThrow(FileSinkPathError);
    expect(() => new FileSink('archive', missing, 0)).toThrow(/sink "archive": the directory .* does not exist/);
  });
});

describe('Telegram rendering', () => {
  it('escapes &, < and > in what it interpolates', () => {
    const e: AlertEvent = marketEvent(
      { monitor: 'R&D <desk>', condition: '> 1 & <2>', severity: SEVERITY.high, roundTime: 1, checkedAt: new Date(1) },
      { asset: 'BTC', symbol: 'BTCUSDT', current: 2, previous: 1 },
    );
    const text = renderTelegramMessage({ ...e, data: { ...e.data, condition: '> 1 & <2>' } });
    expect(text).toContain('R&amp;D &lt;desk&gt;');
    expect(text).toContain('&gt; 1 &amp; &lt;2&gt;');
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});
