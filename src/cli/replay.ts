/**
 * @module cli/replay — `asterwatch replay`: how monitors would have behaved over a past range.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { compileCondition, ConditionSyntaxError, type CompiledCondition } from '../condition/index.js';
import { loadConfig, type LoadedConfig, type MonitorConfig } from '../config/index.js';
import { LIQUIDATION_DEFAULTS } from '../config/liquidations.js';
import { AsterClient } from '../exchange/index.js';
import { createLogger } from '../log/logger.js';
import { replay, type LiquidationHistory, type ReplayResult } from '../replay/replay.js';
import { renderChart } from '../replay/chart.js';
import { tuneHeapForReplay } from '../replay/heap.js';
import { renderReplay, type ReplayFormat } from '../replay/render.js';
import { parseTimeArg } from '../replay/time-arg.js';
import { resolveConfigPath, resolveStatePath } from '../service/service.js';
import { ExchangeInfoCache, listedSymbolsNeed } from '../sources/index.js';
import { SqliteKlineCache, SqliteStore } from '../store/index.js';
import { VENUES, type Liquidation } from '../streams/liquidations/liquidation.js';
import { normaliseFrame } from '../streams/liquidations/normalise.js';
import { booleanFlag, parseCommandArgs, stringFlag, type ParsedArgs } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const REPLAY_HELP = `Usage: asterwatch replay [--config FILE] [--monitor NAME]... --from TIME --to TIME
                         [--condition EXPR] [--format table|json|csv] [--out FILE] [--chart FILE.svg] [--cache PATH]
                         [--liquidations FILE]

Runs monitors over a past range as the service would have: the same conditions, once-state,
severity and events, at the same slots, priced by 1-minute candles (the close of the last candle
closed at each check). Nothing is written to the state database but the candle cache, and
nothing is delivered.

Options:
  -c, --config FILE     monitors file (default: $ASTERWATCH_CONFIG or ./monitors.yaml)
  -m, --monitor NAME    replay this monitor (repeatable; default: every monitor that can be replayed)
      --from TIME       start of the range: ISO-8601, epoch ms, or how long ago (7d, 24h, 30m)
      --to TIME         end of the range (default: now)
      --condition EXPR  replace the selected monitors' conditions, and show old and new side by side
      --format FORMAT   table (default), json (one CloudEvent a line, then a summary object) or csv
      --out FILE        write there instead of standard output
      --chart FILE.svg  draw each subject's value over time, its level, and a marker at every fire
      --cache PATH      where candles are cached (default: the state database, $ASTERWATCH_STATE)
      --liquidations FILE  replay liquidation monitors over this file of raw stream frames (one JSON
                        object a line, the aster stream's) instead of the liquidations recorded in
                        the state database
  -h, --help            show this help

Exit status: 0 on success, 1 for a usage or configuration error, 2 when the history could not
be fetched.`;

const FORMATS: readonly ReplayFormat[] = ['table', 'json', 'csv'];
/** A file of frames larger than this is not read whole: a month of a busy feed is far below it. */
const MAX_LIQUIDATION_FILE = 512 * 1024 * 1024;

export async function replayCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('replay', argv, {
    config: { type: 'string', short: 'c' },
    state: { type: 'string', short: 's' },
    monitor: { type: 'string', short: 'm', multiple: true },
    from: { type: 'string' },
    to: { type: 'string' },
    condition: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    chart: { type: 'string' },
    liquidations: { type: 'string' },
    cache: { type: 'string' },
  });
  if (booleanFlag(args, 'help')) {
    io.out(REPLAY_HELP);
    return 0;
  }
  const now = Date.now();
  const from = timeFlag(args, 'from', now, true)!;
  const to = timeFlag(args, 'to', now, false) ?? now;
  if (from >= to) throw new UsageError(`replay: --from must be before --to (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})`);
  const format = (stringFlag(args, 'format') ?? 'table') as ReplayFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`replay: --format must be table, json or csv, got ${JSON.stringify(stringFlag(args, 'format'))}`);
  let condition: CompiledCondition | null = null;
  const written = stringFlag(args, 'condition');
  if (written !== undefined) {
    try {
      condition = compileCondition(written);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw new UsageError(`replay: --condition: ${error.message}`);
      throw error;
    }
  }

  const config = loadConfig(resolveConfigPath(stringFlag(args, 'config')));
  const wanted = (args.values.monitor as string[] | undefined) ?? [];
  for (const name of wanted) {
    if (!config.monitors.some((m) => m.name === name))
      throw new UsageError(`replay: no monitor named ${JSON.stringify(name)}; monitors: ${config.monitors.map((m) => m.name).join(', ')}`);
  }
  const selected = wanted.length === 0 ? config.monitors : config.monitors.filter((m) => wanted.includes(m.name));
  if (condition !== null) {
    const unsupported = selected.filter((m) => m.plugin.withCondition === undefined).map((m) => m.name);
    if (unsupported.length > 0 && wanted.length > 0) throw new UsageError(`replay: --condition cannot replace the condition of ${unsupported.join(', ')}`);
  }

  const statePath = resolveStatePath(stringFlag(args, 'state'));
  const file = stringFlag(args, 'liquidations');
  const wantsLiquidations = selected.some((m) => m.plugin.driver.kind === 'streamed');
  // Read before anything is opened: a bad file is a usage error with nothing to close.
  const recorded = !wantsLiquidations ? null : file !== undefined ? liquidationFile(file) : await liquidationStore(statePath, config);
  const liquidations = recorded?.history;
  const logger = createLogger();
  const client = new AsterClient({ logger });
  const cache = SqliteKlineCache.open(stringFlag(args, 'cache') ?? statePath);
  const listed = listedSymbolsNeed(new ExchangeInfoCache(client));
  const progress = progressReporter(logger);
  try {
    const common = { from, to, client, cache, listed, now, onProgress: progress, ...(liquidations === undefined ? {} : { liquidations }) };
    tuneHeapForReplay();
    const original = await replay({ monitors: selected, ...common });
    let tuned: ReplayResult | null = null;
    if (condition !== null) {
      const changed = selected.filter((m) => m.plugin.withCondition !== undefined).map((m) => withCondition(m, condition!));
      tuned = await replay({ monitors: changed, ...common });
    }
    const text = renderReplay(format, { from, to, original, tuned, newCondition: written ?? null });
    const chart = stringFlag(args, 'chart');
    if (chart !== undefined) writeFileSync(chart, renderChart(original, from, to));
    const out = stringFlag(args, 'out');
    if (out === undefined) io.out(text.replace(/\n$/, ''));
    else writeFileSync(out, text);
    return 0;
  } finally {
    client.close();
    await cache.close();
    await recorded?.close();
  }
}

/**
 * Progress on standard error: a bar redrawn in place on a terminal (at most every 100 ms),
 * log lines otherwise (at most one per stage step of 5 %).
 */
function progressReporter(logger: ReturnType<typeof createLogger>): (stage: string, done: number, total: number) => void {
  const terminal = process.stderr.isTTY === true;
  let drawnAt = 0;
  let lastLogged = '';
  return (stage, done, total) => {
    if (total <= 0) return;
    const share = Math.min(1, done / total);
    if (terminal) {
      const now = Date.now();
      if (now - drawnAt < 100 && done < total) return;
      drawnAt = now;
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${stage.slice(0, 40).padEnd(40)}`,
      );
      if (done >= total) process.stderr.write('\n');
      return;
    }
    const step = `${stage}:${Math.floor(share * 20)}`;
    if (step === lastLogged) return;
    lastLogged = step;
    logger.info({ stage, done, total }, 'replay progress');
  };
}

/** Liquidations from a file of raw stream frames (the aster stream's), one JSON object a line. */
function liquidationFile(path: string): { history: LiquidationHistory; close(): Promise<void> } {
  let text: string;
  try {
    if (statSync(path).size > MAX_LIQUIDATION_FILE) throw new UsageError(`replay: --liquidations ${path} is larger than ${MAX_LIQUIDATION_FILE / 1048576} MiB`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`replay: cannot read --liquidations ${path}: ${(error as Error).message}`);
  }
  const rows: Liquidation[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      for (const l of normaliseFrame('aster', line)) {
        if (seen.has(l.id)) continue; // a frame received twice is one liquidation
        seen.add(l.id);
        rows.push(l);
      }
    } catch (error) {
      throw new UsageError(`replay: ${path}:${i + 1}: not a liquidation frame (${(error as Error).message})`);
    }
  });
  rows.sort((a, b) => a.time - b.time);
  return {
    history: {
      origin: `file ${path}`,
      rows: async (since, until) => rows.filter((l) => l.time >= since && l.time <= until),
      gaps: async () => [],
      venues: ['aster'],
    },
    close: async () => undefined,
  };
}

/** Liquidations the service recorded in the state database (read; nothing is written). */
async function liquidationStore(path: string, config: LoadedConfig): Promise<{ history: LiquidationHistory; close(): Promise<void> } | null> {
  if (!existsSync(path)) return null;
  const store = SqliteStore.open(path);
  const venues = config.liquidations?.venues ?? LIQUIDATION_DEFAULTS.venues;
  return {
    history: {
      origin: `the state database ${path}`,
      rows: async (since, until) => {
        const all: Liquidation[] = [];
        for (const venue of VENUES) {
          let before: string | undefined;
          for (let page = 0; page < 100_000; page++) {
            const got = await store.liquidations.list({ since, until, venue, limit: 5000, ...(before === undefined ? {} : { before }) });
            all.push(...got.liquidations);
            if (got.nextBefore === null) break;
            before = got.nextBefore;
          }
        }
        return all.sort((a, b) => a.time - b.time);
      },
      gaps: (since, until) => store.liquidations.gaps(since, until),
      venues,
    },
    close: () => store.close(),
  };
}

function withCondition(monitor: MonitorConfig, condition: CompiledCondition): MonitorConfig {
  return { ...monitor, settings: monitor.plugin.withCondition!(monitor.settings, condition) };
}

function timeFlag(args: ParsedArgs, flag: string, now: number, required: boolean): number | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) {
    if (required) throw new UsageError(`replay: --${flag} is required: a time such as 2026-11-01, 1761955200000 or 7d (7 days ago)`);
    return undefined;
  }
  const value = parseTimeArg(raw, now);
  if (value === null)
    throw new UsageError(`replay: --${flag} must be ISO-8601 (2026-11-01T00:00Z), epoch ms, or how long ago (7d, 24h, 30m); got ${JSON.stringify(raw)}`);
  if (value > now) throw new UsageError(`replay: --${flag} is in the future (${new Date(value).toISOString()}); replay covers the past`);
  return value;
}
