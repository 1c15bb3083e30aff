/**
 * @module config/load — monitors.yaml from text to LoadedConfig, every problem at once.
 *
 * Stages: YAML syntax → aliases (bounded) → `${VAR}` expansion → shape and field meaning
 * (zod, per monitor against its mode) → checks across fields and monitors. Every stage
 * after aliases runs whatever the others found, so one run reports every problem, each
 * with file:line:column. Syntax and alias problems stop the load where they are found:
 * nothing after them could read the tree safely.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { BUILT_IN_SINKS, type SinkConfig } from '../delivery/sinks/registry.js';
import { MODES, type ModeRegistry } from '../modes/registry.js';
import { aliasProblem, hasAliasTrouble } from './aliases.js';
import { buildMonitor } from './build-monitor.js';
import { crossMonitorProblems } from './cross-checks.js';
import { ConfigError, ConfigFileError, type ConfigProblem } from './errors.js';
import { loadDotEnv } from './env.js';
import { expandTree } from './expand.js';
import type { ConfigWarning, LoadedConfig, MonitorConfig } from './model.js';
import { formatPath, SourceLocator, type YamlPath } from './positions.js';
import { liquidationFeedConfig } from './liquidations.js';
import { DEFAULT_RETENTION_DAYS, rootSchema } from './schema.js';
import { shapeProblems } from './shape-problems.js';
import { syntaxProblem } from './syntax-problems.js';

/** Everything a stage needs to point at the file. */
export interface SourceContext {
  file: string;
  locator: SourceLocator;
  problem(path: YamlPath, message: string, options?: { at?: 'value' | 'key'; detail?: string; columnInValue?: number }): ConfigProblem;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  dotEnv?: boolean;
  /** The modes monitors may use (default: the built-in ones). */
  modes?: ModeRegistry;
}

/** Reads and validates a configuration file. Throws ConfigError / ConfigFileError. */
export function loadConfig(file: string, options: LoadOptions = {}): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError(
      file,
      code === 'ENOENT' ? 'no such file; pass --config PATH or create monitors.yaml (see the README)' : `cannot be read (${code ?? String(error)})`,
    );
  }
  if (options.dotEnv !== false) loadDotEnv(dirname(path));
  return parseConfig(text, file, options.env ?? process.env, options.modes);
}

/**
 * Validates configuration text; `file` is only used in messages. The text is read
 * with js-yaml (fast, light); the `yaml` library's Document, which knows where every
 * node is, is built only when a problem or warning needs a line and column.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv, modes: ModeRegistry = MODES): LoadedConfig {
  const locator = new SourceLocator(file, text);
  const source: SourceContext = {
    file,
    locator,
    problem(path, message, opts = {}) {
      const position = locator.locate(path, opts.at);
      let { line, column } = position;
      // A caret inside the value only where the value is written as it was read.
      if (opts.columnInValue !== undefined && position.exact) ({ line, column } = locator.locateInValue(path, opts.columnInValue));
      return { file, line, column, path: formatPath(path), message, ...(opts.detail === undefined ? {} : { detail: opts.detail }) };
    },
  };

  const problems: ConfigProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const expanded = readTree(text, file, env, source, problems);
  const root = rootSchema.safeParse(expanded);
  if (!root.success) problems.push(...root.error.issues.flatMap((issue) => shapeProblems(issue, [], expanded, rootSchema, source, modes)));

  const rawMonitors = Array.isArray((expanded as Record<string, unknown> | null)?.monitors)
    ? ((expanded as Record<string, unknown>).monitors as unknown[])
    : [];
  const monitors: MonitorConfig[] = [];
  rawMonitors.forEach((rawMonitor, index) => {
    const built = buildMonitor(rawMonitor, index, { source, modes, problems, warnings });
    if (built !== null) monitors.push(built);
  });
  const declaredSinks = sinkNamesOf(expanded);
  problems.push(...crossMonitorProblems(rawMonitors, declaredSinks, source));
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));

  const data = root.data!;
  const sinks: Record<string, SinkConfig> = { ...BUILT_IN_SINKS, ...(data.sinks ?? {}) };
  const outbox = { deadAfterSeconds: data.outbox?.dead_after_seconds ?? 86_400, deadAfterAttempts: data.outbox?.dead_after_attempts ?? 100 };
  return {
    file,
    outbox,
    liquidations: liquidationFeedConfig(data.liquidations),
    retentionDays: data.retention_days ?? DEFAULT_RETENTION_DAYS,
    monitors,
    sinks,
    warnings,
  };
}

/**
 * The file's tree with every `${VAR}` expanded. js-yaml's own tree is not kept: it is not
 * read again, and at 1,000,000 monitors (~300 MB) keeping it beside its expanded copy while
 * the monitors are built set the process's peak.
 */
function readTree(text: string, file: string, env: NodeJS.ProcessEnv, source: SourceContext, problems: ConfigProblem[]): unknown {
  let raw: unknown;
  try {
    raw = loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new ConfigError([syntaxProblem(source.locator, error)]);
  }
  if (raw === null || raw === undefined)
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: 'the file is empty; define `monitors:` (see the README)' }]);
  if (hasAliasTrouble(raw)) throw new ConfigError([aliasProblem(source.locator)]);
  return expandTree(raw, env, source, problems);
}

/** The sink names declared under `sinks:` (valid or not: a bad sink is reported once, where it is declared). */
function sinkNamesOf(expanded: unknown): Set<string> {
  const names = new Set(Object.keys(BUILT_IN_SINKS));
  const sinks = (expanded as Record<string, unknown> | null)?.sinks;
  if (sinks !== null && typeof sinks === 'object' && !Array.isArray(sinks)) for (const name of Object.keys(sinks)) names.add(name);
  return names;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
