/**
 * @module cli/liquidations — `asterwatch liquidations [tail]` (liquidations.md §6).
 *
 * The summary reads the state database the service records the feed into; `tail` needs
 * neither configuration nor state: it connects to the live stream and prints each large
 * liquidation as one line, until SIGINT.
 */
import { existsSync } from 'node:fs';
import { createLogger } from '../log/logger.js';
import { resolveStatePath } from '../service/service.js';
import { openStore } from '../store/index.js';
import type { LiquidationFilter, LiquidationTotals, SymbolTotals } from '../store/index.js';
import { liquidationLine } from '../streams/liquidations/format.js';
import { toItem, VENUES, type Venue } from '../streams/liquidations/liquidation.js';
import { normaliseFrame } from '../streams/liquidations/normalise.js';
import { streamUrlOf } from '../streams/liquidations/venues.js';
import { ReconnectingStream } from '../streams/reconnecting-stream.js';
import { WsTransport } from '../streams/ws-transport.js';
import { parseDuration, parseUsd } from './amounts.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const LIQUIDATIONS_HELP = `Usage: asterwatch liquidations [--since DURATION] [--venue V] [--symbol S] [--json] [--state PATH]
       asterwatch liquidations tail [--min-usd AMOUNT] [--venue V]

The recorded liquidation feed (run the service with a liquidations: section to record it):
totals for the last 1 h, 4 h, 12 h and 24 h with the long/short split, the ten symbols with
the most liquidated, the largest single liquidation, and any gap in the recording. The feed
is sampled by the exchange (at most one liquidation per symbol per second): totals are floors.

'tail' connects to the live stream (no configuration or state needed) and prints every
liquidation at or above the amount as one line; Ctrl-C stops it.

Options:
      --since DURATION  the range of the leaders, the largest and the gaps (default 24h; e.g. 4h, 7d)
      --venue V         ${VENUES.join(' or ')} (summary: default all; tail: default aster)
      --symbol S        only this symbol, e.g. BTCUSDT
      --min-usd AMOUNT  tail: the smallest liquidation printed (default 50k)
      --json            print one JSON object
  -s, --state PATH      state database (default: $ASTERWATCH_STATE or ./.asterwatch/state.db)
  -h, --help            show this help

Exit status: 0 on success (tail: after Ctrl-C), 1 on a usage error or a missing database.`;

const WINDOWS: ReadonlyArray<readonly [string, number]> = [
  ['1h', 3_600_000],
  ['4h', 4 * 3_600_000],
  ['12h', 12 * 3_600_000],
  ['24h', 24 * 3_600_000],
];

export async function liquidationsCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs(
    'liquidations',
    argv,
    {
      since: { type: 'string' },
      venue: { type: 'string' },
      symbol: { type: 'string' },
      'min-usd': { type: 'string' },
      json: { type: 'boolean' },
      state: { type: 'string', short: 's' },
    },
    true,
  );
  if (booleanFlag(args, 'help')) {
    io.out(LIQUIDATIONS_HELP);
    return 0;
  }
  const [action, ...extra] = args.positionals;
  if (extra.length > 0 || (action !== undefined && action !== 'tail'))
    throw new UsageError(
      `liquidations: unknown action ${JSON.stringify(args.positionals.join(' '))}; use 'asterwatch liquidations' or 'asterwatch liquidations tail'`,
    );
  const venue = parseVenue(stringFlag(args, 'venue'));
  if (action === 'tail') return tail(io, venue ?? 'aster', parseUsd(stringFlag(args, 'min-usd') ?? '50k', 'min-usd'));
  if (stringFlag(args, 'min-usd') !== undefined) throw new UsageError('--min-usd is for liquidations tail');
  return summary(io, {
    sinceMs: parseDuration(stringFlag(args, 'since') ?? '24h', 'since'),
    venue,
    symbol: parseSymbol(stringFlag(args, 'symbol')),
    json: booleanFlag(args, 'json'),
    state: resolveStatePath(stringFlag(args, 'state')),
  });
}

function parseVenue(raw: string | undefined): Venue | undefined {
  if (raw === undefined) return undefined;
  if ((VENUES as readonly string[]).includes(raw)) return raw as Venue;
  throw new UsageError(`--venue must be ${VENUES.join(' or ')}; got ${JSON.stringify(raw.slice(0, 40))}`);
}

function parseSymbol(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const symbol = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,30}$/.test(symbol)) throw new UsageError(`--symbol must be a symbol such as BTCUSDT; got ${JSON.stringify(raw.slice(0, 40))}`);
  return symbol;
}

interface SummaryOptions {
  sinceMs: number;
  venue: Venue | undefined;
  symbol: string | undefined;
  json: boolean;
  state: string;
}

async function summary(io: CommandIO, options: SummaryOptions): Promise<number> {
  if (!existsSync(options.state)) {
    throw new UsageError(
      `no state database at ${options.state}: liquidations are recorded by 'asterwatch run' with a liquidations: section; pass --state PATH or set ASTERWATCH_STATE`,
    );
  }
  const store = openStore(options.state);
  try {
    const until = Date.now();
    const since = until - options.sinceMs;
    const base = {
      until,
      ...(options.venue === undefined ? {} : { venue: options.venue }),
      ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
    };
    const windows: Array<[string, number]> = WINDOWS.filter(([, ms]) => ms <= options.sinceMs).map(([label, ms]) => [label, ms]);
    if (!windows.some(([, ms]) => ms === options.sinceMs)) windows.push([formatDuration(options.sinceMs), options.sinceMs]);
    const totals = await Promise.all(windows.map(async ([label, ms]) => ({ label, totals: await store.liquidations.totals({ ...base, since: until - ms }) })));
    const range: LiquidationFilter = { ...base, since };
    const leaders = await store.liquidations.leaders(range, 10);
    const whole = await store.liquidations.totals(range);
    const gaps = await store.liquidations.gaps(since, until, options.venue);
    if (options.json) {
      io.out(JSON.stringify(summaryJson(since, until, totals, leaders, whole, gaps)));
    } else {
      for (const line of summaryText(since, until, totals, leaders, whole, gaps)) io.out(line);
    }
    return 0;
  } finally {
    await store.close();
  }
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const iso = (ms: number) => new Date(ms).toISOString();

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

function summaryJson(
  since: number,
  until: number,
  windows: Array<{ label: string; totals: LiquidationTotals }>,
  leaders: SymbolTotals[],
  whole: LiquidationTotals,
  gaps: Array<{ venue: string; start: number; end: number }>,
) {
  return {
    since: iso(since),
    until: iso(until),
    windows: windows.map(({ label, totals: t }) => ({
      window: label,
      total_usd: t.totalUsd,
      count: t.count,
      long_usd: t.longUsd,
      long_count: t.longCount,
      short_usd: t.shortUsd,
      short_count: t.shortCount,
    })),
    leaders: leaders.map((s) => ({
      symbol: s.symbol,
      total_usd: s.totalUsd,
      long_usd: s.longUsd,
      short_usd: s.shortUsd,
      count: s.count,
      largest_usd: s.largestUsd,
    })),
    largest: whole.largest === null ? null : toItem(whole.largest),
    gaps: gaps.map((g) => ({ venue: g.venue, start: iso(g.start), end: iso(g.end) })),
    complete: gaps.length === 0,
    sampled: true,
  };
}

function summaryText(
  since: number,
  until: number,
  windows: Array<{ label: string; totals: LiquidationTotals }>,
  leaders: SymbolTotals[],
  whole: LiquidationTotals,
  gaps: Array<{ venue: string; start: number; end: number }>,
): string[] {
  const lines = [`liquidations recorded from ${iso(since)} to ${iso(until)} (sampled by the exchange: totals are floors)`, ''];
  lines.push(`${'window'.padEnd(8)} ${'total'.padStart(18)} ${'longs'.padStart(18)} ${'shorts'.padStart(18)} ${'count'.padStart(8)}`);
  for (const { label, totals: t } of windows)
    lines.push(
      `${label.padEnd(8)} ${usd(t.totalUsd).padStart(18)} ${usd(t.longUsd).padStart(18)} ${usd(t.shortUsd).padStart(18)} ${String(t.count).padStart(8)}`,
    );
  lines.push('', 'leading symbols:');
  if (leaders.length === 0) lines.push('  none');
  for (const s of leaders)
    lines.push(`  ${s.symbol.padEnd(14)} ${usd(s.totalUsd).padStart(18)}  (longs ${usd(s.longUsd)}, shorts ${usd(s.shortUsd)}, ${s.count} liquidations)`);
  lines.push('', `largest: ${whole.largest === null ? 'none' : `${liquidationLine(whole.largest)} on ${whole.largest.venue} at ${iso(whole.largest.time)}`}`);
  lines.push('', gaps.length === 0 ? 'no gap in the recording' : `gaps in the recording (liquidations then are missing, not absent):`);
  for (const g of gaps) lines.push(`  ${g.venue} ${iso(g.start)} → ${iso(g.end)}`);
  return lines;
}

async function tail(io: CommandIO, venue: Venue, minUsd: number): Promise<number> {
  const logger = createLogger();
  const stream = new ReconnectingStream({
    key: venue,
    url: streamUrlOf(venue),
    transport: new WsTransport(),
    decode: (frame) => normaliseFrame(venue, frame),
    logger,
  });
  const seen = new Set<string>();
  return new Promise<number>((resolve) => {
    stream.start({
      item: (l) => {
        if (l.notionalUsd < minUsd || seen.has(l.id)) return;
        seen.add(l.id);
        if (seen.size > 10_000) seen.delete(seen.values().next().value!);
        io.out(liquidationLine(l));
      },
    });
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void stream.stop().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
