import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_COLLECTION_DELAY_MS, IdleCollector } from '../../src/service/idle-collector.js';
import { tuneHeapForService } from '../../src/service/heap.js';

const MB = 1024 * 1024;

/** A heap whose use the test sets, and a collection that brings it back to `live`. */
function fakeHeap(live: number) {
  const heap = { used: live, live, collections: 0 };
  const collector = new IdleCollector({
    collect: () => {
      heap.collections++;
      heap.used = heap.live;
    },
    heapUsed: () => heap.used,
  });
  /** A round that leaves the heap at `used`, then the idle delay. */
  const round = (used: number) => {
    collector.roundStarted();
    heap.used = used;
    collector.roundEnded();
    vi.advanceTimersByTime(IDLE_COLLECTION_DELAY_MS);
  };
  return { heap, collector, round };
}

describe('the idle collector', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('collects once the idle delay after a round has passed, and not before', () => {
    const { heap, collector } = fakeHeap(40 * MB);
    collector.roundStarted();
    heap.used = 60 * MB;
    collector.roundEnded();
    vi.advanceTimersByTime(IDLE_COLLECTION_DELAY_MS - 1);
    expect(heap.collections).toBe(0);
    vi.advanceTimersByTime(1);
    expect(heap.collections).toBe(1);
    expect(collector.collections).toBe(1);
  });

  it('does not collect while a round runs, and a round starting cancels a waiting collection', () => {
    const { heap, collector } = fakeHeap(40 * MB);
    collector.roundStarted();
    heap.used = 60 * MB;
    collector.roundEnded();
    collector.roundStarted(); // the next round, before the delay is up
    vi.advanceTimersByTime(10 * IDLE_COLLECTION_DELAY_MS);
    expect(heap.collections).toBe(0);
    // Two rounds at once: the first to end does not make the time idle.
    collector.roundStarted();
    collector.roundEnded();
    vi.advanceTimersByTime(10 * IDLE_COLLECTION_DELAY_MS);
    expect(heap.collections).toBe(0);
    collector.roundEnded();
    vi.advanceTimersByTime(IDLE_COLLECTION_DELAY_MS);
    expect(heap.collections).toBe(1);
  });

  it('collects only when the heap grew well past what the last collection left', () => {
    const { heap, round } = fakeHeap(40 * MB);
    round(41 * MB); // the first idle moment collects: nothing is known of the live heap yet
    expect(heap.collections).toBe(1);
    round(44 * MB); // +4 MB over 40 MB live: under 20 %
    expect(heap.collections).toBe(1);
    round(49 * MB); // +9 MB: over 20 %
    expect(heap.collections).toBe(2);
    heap.live = 2 * MB;
    round(2 * MB);
    round(5 * MB); // a small heap: 3 MB is under the 4 MB floor, however large a fraction
    expect(heap.collections).toBe(2);
  });

  it.each([
    ['runs nothing after stop(), not even after a round the shutdown was still draining', true],
    ['stops: a waiting collection never runs', false],
  ])('%s', (_name, stopFirst) => {
    const { heap, collector } = fakeHeap(40 * MB);
    collector.roundStarted();
    heap.used = 90 * MB;
    if (stopFirst) collector.stop();
    collector.roundEnded();
    if (!stopFirst) collector.stop();
    vi.advanceTimersByTime(10 * IDLE_COLLECTION_DELAY_MS);
    expect(heap.collections).toBe(0);
  });

  it('takes a lower heap as the live size: one collection while something large was alive does not turn it off', () => {
    const { heap, round } = fakeHeap(100 * MB);
    round(120 * MB); // collects; 100 MB were alive then (a reload, a large answer in flight)
    expect(heap.collections).toBe(1);
    heap.live = 40 * MB;
    round(41 * MB); // V8 collected on its own meanwhile: 41 MB is the better measure
    round(60 * MB); // +19 MB over 41: collected, though under the 100 MB measured before
    expect(heap.collections).toBe(2);
  });

  it('stops collecting, without throwing from its timer, if a collection fails', () => {
    let calls = 0;
    const collector = new IdleCollector({
      collect: () => {
        calls++;
        throw new Error('no collector');
      },
      heapUsed: () => 100 * MB,
    });
    for (let i = 0; i < 3; i++) {
      collector.roundStarted();
      collector.roundEnded();
      expect(() => vi.advanceTimersByTime(IDLE_COLLECTION_DELAY_MS)).not.toThrow();
    }
    expect(calls).toBe(1);
  });
});

describe("the service's heap settings", () => {
  it("hand the idle collector V8's own full collection, without a command-line flag", () => {
    const { collect, heapUsed } = tuneHeapForService()!;
    const before = heapUsed();
    expect(before).toBeGreaterThan(0);
    // Built and dropped in a function of its own: nothing on this frame keeps it.
    const grown = (() => Array.from({ length: 200_000 }, (_, i) => ({ i })).length)();
    expect(grown).toBe(200_000);
    expect(heapUsed()).toBeGreaterThan(before);
    collect();
    expect(heapUsed()).toBeLessThan(before + 4 * MB);
  });
});
