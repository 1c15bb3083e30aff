/**
 * The stream driver: items from a real WebSocket feed, micro-batched into guarded commits
 * of the same shape as a round (state, events with their deliveries), with ids that tell
 * apart two events of one subject in one batch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { Hooks } from '../../src/hooks.js';
import { silentLogger } from '../../src/log/logger.js';
import { ModeRegistry } from '../../src/modes/registry.js';
import { StreamDriver, type StreamDriverEvents } from '../../src/scheduler/stream-driver.js';
import { MemoryStore, SqliteStore, type Store } from '../../src/store/index.js';
import { MalformedFrameError, ReconnectingStream } from '../../src/streams/reconnecting-stream.js';
import { WsTransport } from '../../src/streams/ws-transport.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { waitUntil, waitUntilAsync } from '../helpers/lines.js';
import { counterMode, type Numbered } from '../support/counter-mode.js';

let server: FakeStreamServer;
let driver: StreamDriver | undefined;
let store: Store | undefined;

beforeEach(async () => {
  server = await new FakeStreamServer().start();
});

afterEach(async () => {
  await driver?.stop();
  driver = undefined;
  await store?.close();
  store = undefined;
  await server.stop();
});

function stream(): ReconnectingStream<Numbered> {
  return new ReconnectingStream<Numbered>({
    key: 'numbers',
    url: server.url(),
    transport: new WsTransport(),
    logger: silentLogger(),
    decode: (frame) => {
      const item = JSON.parse(frame) as Numbered;
      if (typeof item.value !== 'number') throw new MalformedFrameError('no value');
      return [item];
    },
  });
}

describe.each([
  ['SQLite', () => SqliteStore.open(':memory:') as Store],
  ['memory', () => new MemoryStore() as Store],
])('the stream driver on the %s store', (_name, openStore) => {
  it('commits what arrives in batches, one event per matching item, each with its own id', async () => {
    const modes = new ModeRegistry().register(counterMode(stream()));
    const config = parseConfig(
      'monitors:\n  - { name: big, monitoring_mode: counter, threshold: 10 }\n  - { name: all, monitoring_mode: counter, threshold: 0 }\n',
      'monitors.yaml',
      {},
      modes,
    );
    store = openStore();
    const hooks = new Hooks<StreamDriverEvents>();
    const batches: number[] = [];
    hooks.on('batch', (b) => batches.push(b.items));
    driver = new StreamDriver(config.monitors, { store, logger: silentLogger(), route: (m) => [...m.notify], hooks, batchMs: 20 });
    driver.start();
    await waitUntil(() => driver!.feeds()[0]?.connected === true, 5000, 'the feed');

    for (const [id, value] of [
      ['a', 5],
      ['b', 12],
      ['c', 30],
    ] as const)
      server.broadcast({ id, value });
    await waitUntilAsync(async () => (await store!.statesOf('all')).get('count')?.value === 3, 5000, 'three items counted');

    const events = await store.events.recent({ limit: 10 });
    expect(events.map((e) => [e.event.source, e.event.data])).toEqual(
      expect.arrayContaining([
        ['asterwatch/monitors/big', expect.objectContaining({ value: 12 })],
        ['asterwatch/monitors/big', expect.objectContaining({ value: 30 })],
      ]),
    );
    expect(events.filter((e) => e.event.source === 'asterwatch/monitors/all')).toHaveLength(3);
    expect(new Set(events.map((e) => e.event.id)).size).toBe(5);
    expect((await store.outbox.summary()).map((s) => [s.sink, s.pending])).toEqual([['stdout', 5]]);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(3);
    expect(driver.feeds()[0]).toMatchObject({ feed: 'numbers', connected: true, messages: 3 });
  });
});
