import { afterEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { DeliveryError, type Sink } from '../../src/delivery/sinks/sink.js';
import type { AlertEvent } from '../../src/events/index.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { SqliteStore } from '../../src/store/index.js';
import { waitUntil, waitUntilAsync } from '../helpers/lines.js';

const event = (n: number) =>
  marketEvent(
    { monitor: 'm', condition: '> 1', severity: SEVERITY.low, roundTime: n, checkedAt: new Date(n) },
    { asset: 'BTC', symbol: 'BTCUSDT', current: n, previous: 1 },
  );

/** A sink that fails according to a script, then accepts. */
class ScriptedSink implements Sink {
  readonly type = 'scripted';
  readonly minSeverity = 0;
  readonly delivered: string[] = [];
  attempts = 0;
  constructor(
    readonly name: string,
    private readonly script: Array<DeliveryError | null> = [],
  ) {}
  async deliver(e: AlertEvent): Promise<void> {
    this.attempts++;
    const next = this.script.shift();
    if (next) throw next;
    this.delivered.push(e.id);
  }
}

let store: SqliteStore;
let outbox: Outbox | undefined;

async function raise(...ns: number[]): Promise<string[]> {
  const stored = await store.commit({
    roundTime: 0,
    checkedAt: Date.now(),
    states: [],
    statuses: [],
    events: ns.map((n) => ({ event: event(n), monitor: 'm', severity: 0.15, sinks: ['a', 'b'] })),
  });
  return stored.map((s) => s.event.id);
}

afterEach(async () => {
  await outbox?.stop();
  await store?.close();
});

describe('the outbox', () => {
  it('delivers each event to each sink in order, and marks it done only after the sink accepted it', async () => {
    store = SqliteStore.open(':memory:');
    const a = new ScriptedSink('a');
    const b = new ScriptedSink('b');
    outbox = new Outbox(store, [a, b], silentLogger());
    const ids = await raise(1, 2, 3);
    outbox.start();
    expect(await outbox.drain(5000)).toBe(true);
    expect(a.delivered).toEqual(ids);
    expect(b.delivered).toEqual(ids);
    expect((await store.outbox.summary()).map((s) => [s.sink, s.pending, s.done])).toEqual([
      ['a', 0, 3],
      ['b', 0, 3],
    ]);
  });

  it('retries a retryable failure with backoff, holding later events back so order is kept, and does not block other sinks', async () => {
    store = SqliteStore.open(':memory:');
    const flaky = new ScriptedSink('a', [new DeliveryError('503', { retryable: true }), new DeliveryError('503', { retryable: true })]);
    const healthy = new ScriptedSink('b');
    outbox = new Outbox(store, [flaky, healthy], silentLogger(), { backoffBaseMs: 20, random: () => 1 });
    const ids = await raise(1, 2);
    outbox.start();
    await waitUntil(() => healthy.delivered.length === 2, 2000, 'the healthy sink');
    expect(flaky.delivered).toEqual([]);
    await waitUntil(() => flaky.delivered.length === 2, 5000, 'the flaky sink');
    expect(flaky.delivered).toEqual(ids);
    expect(flaky.attempts).toBe(4);
  });

  it("waits the receiver's Retry-After instead of its own backoff", async () => {
    store = SqliteStore.open(':memory:');
    const limited = new ScriptedSink('a', [new DeliveryError('429', { retryable: true, retryAfterMs: 300 })]);
    outbox = new Outbox(store, [limited, new ScriptedSink('b')], silentLogger(), { backoffBaseMs: 1 });
    await raise(1);
    const start = Date.now();
    outbox.start();
    await waitUntil(() => limited.delivered.length === 1, 5000, 'delivery after Retry-After');
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('moves a permanently refused event to dead and goes on with the next', async () => {
    store = SqliteStore.open(':memory:');
    const picky = new ScriptedSink('a', [new DeliveryError('HTTP 400', { retryable: false })]);
    outbox = new Outbox(store, [picky, new ScriptedSink('b')], silentLogger());
    const ids = await raise(1, 2);
    outbox.start();
    await outbox.drain(5000);
    expect(picky.delivered).toEqual([ids[1]]);
    expect(await store.outbox.dead()).toEqual([{ seq: 1, sink: 'a', id: ids[0], attempts: 1, lastError: 'HTTP 400' }]);
  });

  it('gives up on a sink failing too many times: its pending events go to dead, kept and replayable', async () => {
    store = SqliteStore.open(':memory:');
    const down = new ScriptedSink(
      'a',
      Array.from({ length: 3 }, () => new DeliveryError('ECONNREFUSED', { retryable: true })),
    );
    outbox = new Outbox(store, [down, new ScriptedSink('b')], silentLogger(), { deadAfterAttempts: 3, backoffBaseMs: 1 });
    const ids = await raise(1, 2, 3);
    outbox.start();
    await waitUntilAsync(async () => (await store.outbox.summary()).find((s) => s.sink === 'a')?.dead === 3, 5000, 'dead-lettering');
    expect(down.delivered).toEqual([]);
    expect(await store.outbox.retryDead(Date.now(), 'a')).toBe(3);
    outbox.notify();
    await waitUntil(() => down.delivered.length === 3, 5000, 'the replay');
    expect(down.delivered).toEqual(ids);
  });

  it('gives up on a sink failing for longer than the configured time', async () => {
    store = SqliteStore.open(':memory:');
    await raise(1);
    let now = Date.now() + 1000;
    const down = new ScriptedSink(
      'a',
      Array.from({ length: 10 }, () => new DeliveryError('ECONNREFUSED', { retryable: true })),
    );
    outbox = new Outbox(store, [down], silentLogger(), { deadAfterMs: 60_000, backoffBaseMs: 1, now: () => now });
    await outbox.deliverDue(down);
    now += 61_000;
    await outbox.deliverDue(down);
    expect((await store.outbox.summary())[0]).toMatchObject({ sink: 'a', pending: 0, dead: 1 });
  });
});

describe('the outbox wake-up', () => {
  it('does not lose a notification sent before a sink loop went to sleep', async () => {
    store = SqliteStore.open(':memory:');
    const a = new ScriptedSink('a');
    outbox = new Outbox(store, [a, new ScriptedSink('b')], silentLogger());
    outbox.start();
    await raise(1); // synchronously after start, before the loops have registered their wakers
    outbox.notify();
    await waitUntil(() => a.delivered.length === 1, 2000, 'the delivery');
  });
});
