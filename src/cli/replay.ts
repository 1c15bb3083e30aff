/**
 * @module cli/replay — `asterwatch replay`: how monitors would have behaved over a past range.
 */
import { writeFileSync } from 'node:fs';
import { compileCondition, ConditionSyntaxError, type CompiledCondition } from '../condition/index.js';
import { loadConfig, type MonitorConfig } from '../config/index.js';
import { AsterClient } from '../exchange/index.js';
import { createLogger } from '../log/logger.js';
import { replay, type ReplayResult } from '../replay/replay.js';
import { renderChart } from '../replay/chart.js';
import { renderReplay, type ReplayFormat } from '../replay/render.js';
import { parseTimeArg } from '../replay/time-arg.js';
import { resolveConfigPath, resolveStatePath } from '../service/service.js';
import { ExchangeInfoCache, listedSymbolsNeed } from '../sources/index.js';
import { SqliteKlineCache } from '../store/index.js';
import { booleanFlag, parseCommandArgs, stringFlag, type ParsedArgs } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const REPLAY_HELP = `Usage: asterwatch replay [--config FILE] [--monitor NAME]... --from TIME --to TIME
                         [--condition EXPR] [--format table|json|csv] [--out FILE] [--chart FILE.svg] [--cache PATH]

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
  -h, --help            show this help

Exit status: 0 on success, 1 for a usage or configuration error, 2 when the history could not
be fetched.`;

const FORMATS: readonly ReplayFormat[] = ['table', 'json', 'csv'];

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

  const logger = createLogger();
  const client = new AsterClient({ logger });
  const cache = SqliteKlineCache.open(stringFlag(args, 'cache') ?? resolveStatePath(stringFlag(args, 'state')));
  const listed = listedSymbolsNeed(new ExchangeInfoCache(client));
  const progress = (stage: string, done: number, total: number) => {
    if (total > 0 && (done === total || done % 20 === 0)) logger.info({ stage, done, total }, 'replay progress');
  };
  try {
    const original = await replay({ monitors: selected, from, to, client, cache, listed, now, onProgress: progress });
    let tuned: ReplayResult | null = null;
    if (condition !== null) {
      const changed = selected.filter((m) => m.plugin.withCondition !== undefined).map((m) => withCondition(m, condition!));
      tuned = await replay({ monitors: changed, from, to, client, cache, listed, now, onProgress: progress });
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
  }
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
