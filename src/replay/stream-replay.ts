/**
 * @module replay/stream-replay — liquidation monitors over recorded liquidations: the live
 * stream driver, on a virtual clock, fed the rows in time order.
 *
 * Live, the driver commits what arrived within a fraction of a second and ticks every 250 ms.
 * Here a batch is every 250 ms step that holds a liquidation, plus every step at which a
 * monitor's state may change with nothing arriving (a window draining: the mode says when,
 * through `replayTicks`). Per-liquidation events keep their live ids (monitor and
 * liquidation); a window event's id has the batch time, which live is the arrival time.
 */
import type { MonitorConfig } from '../config/index.js';
import { Hooks } from '../hooks.js';
import { silentLogger } from '../log/logger.js';
import type { MonitorCheck } from '../modes/mode.js';
import { StreamDriver, type StreamDriverEvents } from '../scheduler/stream-driver.js';
import { MemoryStore } from '../store/index.js';
import type { StreamCatalog } from '../streams/catalog.js';
import type { Liquidation, Venue } from '../streams/liquidations/liquidation.js';
import type { StreamListener } from '../streams/stream-source.js';

const STEP_MS = 250;

export interface StreamReplayOutcome {
  /** Every batch's checks with the time they ran at. */
  batches: Array<{ at: number; checks: MonitorCheck[] }>;
  store: MemoryStore;
}

/** Replays `monitors` over `rows` (every venue's, oldest first) from `from` to `to`. */
export async function replayStreamed(
  monitors: readonly MonitorConfig[],
  rows: readonly Liquidation[],
  from: number,
  to: number,
  defaultVenues: readonly Venue[],
): Promise<StreamReplayOutcome> {
  const listeners = new Map<Venue, StreamListener<Liquidation>>();
  const catalog: StreamCatalog = {
    liquidationVenues: defaultVenues,
    liquidations: (venue) => ({
      key: `liquidations:${venue}`,
      start: (listener) => listeners.set(venue, listener),
      stop: async () => undefined,
      status: () => ({ feed: `liquidations:${venue}`, connected: true, since: from, reconnects: 0, lastMessageAt: null, messages: 0 }),
      history: async (since, until) => rows.filter((l) => l.venue === venue && l.time >= since && l.time <= until),
    }),
  };
  let clock = from;
  const store = new MemoryStore();
  const hooks = new Hooks<StreamDriverEvents>();
  const batches: StreamReplayOutcome['batches'] = [];
  hooks.on('batch', (batch) => batches.push({ at: batch.at, checks: batch.checks }));
  // A timer interval longer than any replay: every flush here is made by the loop below.
  const driver = new StreamDriver(monitors, { store, logger: silentLogger(), route: () => [], now: () => clock, catalog, hooks, batchMs: 2 ** 30 });
  await driver.start(() => null);

  const inRange = rows.filter((l) => l.time >= from && l.time <= to);
  const offsets = [...new Set(monitors.flatMap((m) => m.plugin.replayTicks?.(m) ?? []))];
  const steps = new Set<number>();
  const stepOf = (t: number) => Math.ceil(t / STEP_MS) * STEP_MS;
  for (const l of inRange) {
    steps.add(stepOf(l.time));
    for (const offset of offsets) if (l.time + offset <= to) steps.add(stepOf(l.time + offset));
  }
  steps.add(stepOf(to));
  let next = 0;
  for (const step of [...steps].sort((a, b) => a - b)) {
    clock = step;
    while (next < inRange.length && inRange[next]!.time <= step) {
      const l = inRange[next++]!;
      listeners.get(l.venue)?.item(l);
    }
    await driver.flush(true);
  }
  await driver.stop();
  return { batches, store };
}
