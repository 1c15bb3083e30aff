/**
 * @module replay/replay — how monitors would have behaved over a past range: the same modes,
 * conditions, once-state, severity and event builders, at the slots the live scheduler uses,
 * with an in-memory store and prices from klines. Nothing is written to the state database
 * (only the kline cache) and nothing is delivered. Event ids are the live ones: (monitor,
 * subject, slot), so a replay of a period the service ran gives the ids it gave.
 */
import type { MonitorConfig } from '../config/index.js';
import { AsterwatchError } from '../errors.js';
import type { AlertEvent } from '../events/index.js';
import { KLINE_INTERVALS, type AsterClient } from '../exchange/index.js';
import type { ListedSymbols, Need } from '../sources/index.js';
import type { KlineCache, StoredGap } from '../store/index.js';
import type { Liquidation, Venue } from '../streams/liquidations/liquidation.js';
import { replayStreamed } from './stream-replay.js';
import { historyBaseline, historyCatalog } from './history-catalog.js';
import { PriceHistory } from './price-history.js';
import { Tally, type SubjectSummary, type TimelineEntry } from './tally.js';
import { ReplayRound } from './replay-round.js';
import { slotsOf } from './slots.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A bound on one replay: a year of 1-minute checks of 40 monitors. */
export const MAX_CHECKS = 21_024_000;

/** The range holds more checks than one replay may run: a usage mistake (exit 1). */
export class ReplayTooLargeError extends AsterwatchError {
  constructor() {
    super('USAGE', `replay: the range holds more than ${MAX_CHECKS.toLocaleString('en-US')} checks; replay a shorter range or fewer monitors`);
  }
}

/** Where a replay reads liquidations from. */
export interface LiquidationHistory {
  /** Where they come from, in words ("the state database", "file x.jsonl"). */
  origin: string;
  /** Every venue's liquidations with a time in [since, until], oldest first. */
  rows(since: number, until: number): Promise<Liquidation[]>;
  /** Spans in which the feed was not connected (none known for a file). */
  gaps(since: number, until: number): Promise<StoredGap[]>;
  /** The venues a monitor naming none listens to. */
  venues: readonly Venue[];
}

export interface ReplayOptions {
  monitors: readonly MonitorConfig[];
  from: number;
  to: number;
  client: AsterClient;
  cache: KlineCache;
  listed: Need<ListedSymbols>;
  /** Now: candles closing after it are not cached. */
  now?: number;
  /** Recorded liquidations, for liquidation monitors (the state database's, or a file's). */
  liquidations?: LiquidationHistory;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export type { SubjectSummary, TimelineEntry } from './tally.js';

export interface ReplayResult {
  events: AlertEvent[];
  timeline: TimelineEntry[];
  summaries: SubjectSummary[];
  /** Monitors not replayed, with why. */
  skipped: Array<{ monitor: string; reason: string }>;
  /** Checks that failed (a price missing at a slot), counted per monitor. */
  failedChecks: Map<string, number>;
  interval: string;
  requests: number;
  slots: number;
  /** Feed gaps in the range, when liquidation monitors were replayed. */
  gaps: StoredGap[];
  /** Where the liquidations came from, when liquidation monitors were replayed. */
  liquidationOrigin: string | null;
}

/** Why a monitor cannot be replayed, or null. */
export function replayRefusal(monitor: MonitorConfig, liquidations?: LiquidationHistory): string | null {
  if (monitor.plugin.driver.kind !== 'polled' && liquidations === undefined)
    return 'no recorded liquidations to replay it over: keep the state database the service records the feed in, or pass --liquidations FILE';
  return monitor.plugin.notReplayable?.(monitor) ?? null;
}

/** The coarsest candle whose length divides every slot step (1 minute with a cron monitor). */
export function klineIntervalFor(monitors: readonly MonitorConfig[]): { name: string; ms: number } {
  let gcd = 0;
  const gcdOf = (a: number, b: number): number => (b === 0 ? a : gcdOf(b, a % b));
  for (const m of monitors) gcd = m.schedule !== null ? 60_000 : gcdOf(gcd, m.intervalSeconds * 1000);
  const [name, ms] = [...KLINE_INTERVALS].reverse().find(([, length]) => gcd !== 0 && gcd % length === 0) ?? KLINE_INTERVALS[0]!;
  return { name, ms };
}

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const now = options.now ?? Date.now();
  const skipped: ReplayResult['skipped'] = [];
  const replayable = options.monitors.filter((m) => {
    const reason = replayRefusal(m, options.liquidations);
    if (reason !== null) skipped.push({ monitor: m.name, reason });
    return reason === null;
  });
  const monitors = replayable.filter((m) => m.plugin.driver.kind === 'polled');
  const streamed = replayable.filter((m) => m.plugin.driver.kind === 'streamed');
  // Monitors of one cadence share their slots: grouped, a year of minutes is one list, not a map of 525,600 lists.
  const groups = new Map<string, { monitors: MonitorConfig[]; times: number[] }>();
  for (const m of monitors) {
    const cadence = m.schedule ?? `every ${m.intervalSeconds}`;
    const group = groups.get(cadence);
    if (group === undefined) groups.set(cadence, { monitors: [m], times: slotsOf(m, options.from, options.to, MAX_CHECKS + 1) });
    else group.monitors.push(m);
  }
  let checkCount = 0;
  for (const group of groups.values()) checkCount += group.times.length * group.monitors.length;
  if (checkCount > MAX_CHECKS) throw new ReplayTooLargeError();
  const dueAt = (() => {
    const list = [...groups.values()];
    const cursors = list.map(() => 0);
    /** The monitors due at `t` (times are visited in order). */
    return (t: number): MonitorConfig[] => {
      const due: MonitorConfig[] = [];
      list.forEach((group, g) => {
        while (cursors[g]! < group.times.length && group.times[cursors[g]!]! < t) cursors[g]!++;
        if (group.times[cursors[g]!] === t) due.push(...group.monitors);
      });
      return list.length === 1 ? list[0]!.monitors : due;
    };
  })();
  const times = groups.size === 1 ? [...groups.values()][0]!.times : [...new Set([...groups.values()].flatMap((g) => g.times))].sort((a, b) => a - b);
  const interval = klineIntervalFor(monitors);
  const history = new PriceHistory(options.client, options.cache, interval, now, (symbol, done, total) =>
    options.onProgress?.(`klines ${symbol}`, done, total),
  );
  const result: ReplayResult = {
    events: [],
    timeline: [],
    summaries: [],
    skipped,
    failedChecks: new Map(),
    interval: interval.name,
    requests: 0,
    slots: times.length,
    gaps: [],
    liquidationOrigin: null,
  };
  if (streamed.length > 0 && options.liquidations !== undefined) await replayLiquidations(streamed, options.liquidations, options.from, options.to, result);
  if (times.length === 0) return inTimeOrder(result);

  // Discovery: one round at the first slot, on throwaway states, learns which symbols are read.
  const discovery = historyCatalog(options.client, history, options.listed);
  await new ReplayRound(discovery, historyBaseline(history)).run(times[0]!, monitors);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  for (const symbol of discovery.asked) await history.load(symbol, first - DAY_MS - interval.ms, last);

  const catalog = historyCatalog(options.client, history, options.listed);
  const round = new ReplayRound(catalog, historyBaseline(history));
  const tally = new Tally(monitors, options.from);
  for (let i = 0; i < times.length; i++) {
    const clock = times[i]!;
    const pending = round.run(clock, dueAt(clock));
    const outcome = pending instanceof Promise ? await pending : pending;
    for (const check of outcome.checks) {
      if (check.errors.length > 0) result.failedChecks.set(check.monitor, (result.failedChecks.get(check.monitor) ?? 0) + 1);
      tally.check(clock, check);
    }
    for (const event of outcome.events) {
      const check = outcome.checks.find((c) => c.monitor === event.data.monitor);
      tally.event(
        clock,
        event,
        check?.subjects.find((s) => s.subject === event.subject),
      );
    }
    if (i % 5000 === 0 || i === times.length - 1) options.onProgress?.('checks', i + 1, times.length);
  }
  result.events.push(...tally.events);
  result.timeline.push(...tally.timeline);
  result.summaries.push(...tally.summaries(options.to));
  result.requests = history.stats.requests;
  return inTimeOrder(result);
}

/** Polled and liquidation monitors' events, merged in time order. */
function inTimeOrder(result: ReplayResult): ReplayResult {
  result.timeline.sort((a, b) => a.time - b.time);
  result.events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return result;
}

/** Liquidation monitors over the recorded liquidations, into `result`. */
async function replayLiquidations(
  monitors: readonly MonitorConfig[],
  source: LiquidationHistory,
  from: number,
  to: number,
  result: ReplayResult,
): Promise<void> {
  const lookback = Math.max(0, ...monitors.flatMap((m) => m.plugin.replayTicks?.(m) ?? []));
  const rows = await source.rows(from - lookback, to);
  result.gaps = await source.gaps(from, to);
  result.liquidationOrigin = source.origin;
  const outcome = await replayStreamed(monitors, rows, from, to, source.venues);
  const tally = new Tally(monitors, from);
  const stored = new Set((await outcome.store.events.after(0, Number.MAX_SAFE_INTEGER)).map((e) => e.event.id));
  for (const batch of outcome.batches) {
    for (const check of batch.checks) {
      const firing = check.subjects.filter((s) => s.evaluation.fires);
      check.events.forEach((event, i) => {
        // Recorded once: an id already raised (a liquidation seen twice) is not a new event.
        if (stored.delete(event.id)) tally.event(Date.parse(event.time), event, firing[i]);
      });
      tally.check(batch.at, check);
    }
  }
  result.events.push(...tally.events);
  result.timeline.push(...tally.timeline);
  result.summaries.push(...tally.summaries(to));
  await outcome.store.close();
}
