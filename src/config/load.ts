/**
 * @module config/load — monitors.yaml from text to LoadedConfig, every problem at once.
 *
 * Stages: YAML syntax → `${VAR}` expansion → shape (zod) → meaning (validate.ts).
 * Each stage reports every problem it finds with file:line:column before the load fails.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { ConfigError, ConfigFileError, type ConfigProblem } from './errors.js';
import { expandVariables, loadDotEnv } from './env.js';
import type { LoadedConfig } from './model.js';
import { formatPath, SourceLocator, type YamlPath } from './positions.js';
import { configSchema, KNOWN_FIELDS } from './schema.js';
import { closest } from './suggest.js';
import { validateMeaning } from './validate.js';

/** Everything a stage needs to point at the file. */
export interface SourceContext {
  file: string;
  locator: SourceLocator;
  problem(path: YamlPath, message: string, options?: { at?: 'value' | 'key'; detail?: string; columnInValue?: number }): ConfigProblem;
}

/** Reads and validates a configuration file. Throws ConfigError / ConfigFileError. */
export function loadConfig(file: string, options: { env?: NodeJS.ProcessEnv; dotEnv?: boolean } = {}): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError(file, code === 'ENOENT' ? 'no such file; pass --config PATH or create monitors.yaml (see the README)' : `cannot be read (${code ?? String(error)})`);
  }
  if (options.dotEnv !== false) loadDotEnv(dirname(path));
  return parseConfig(text, file, options.env ?? process.env);
}

/**
 * Validates configuration text; `file` is only used in messages. The text is read
 * with js-yaml (fast, light); the `yaml` library's Document, which knows where every
 * node is, is built only when a problem or warning needs a line and column.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const locator = new SourceLocator(file, text);
  const source: SourceContext = {
    file,
    locator,
    problem(path, message, opts = {}) {
      let { line, column } = locator.locate(path, opts.at);
      if (opts.columnInValue !== undefined) ({ line, column } = locator.locateInValue(path, opts.columnInValue));
      return { file, line, column, path: formatPath(path), message, ...(opts.detail === undefined ? {} : { detail: opts.detail }) };
    },
  };

  let raw: unknown;
  try {
    raw = loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new ConfigError(syntaxProblems(locator, error));
  }
  if (raw === null || raw === undefined) throw new ConfigError([{ file, line: 1, column: 1, path: '', message: 'the file is empty; define `monitors:` (see the README)' }]);

  const problems: ConfigProblem[] = [];
  const expanded = expandTree(raw, [], env, source, problems);
  const parsed = configSchema.safeParse(expanded);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => shapeProblems(issue, expanded, source)));
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));

  const { config, problems: meaningProblems } = validateMeaning(parsed.data!, source);
  if (meaningProblems.length > 0) throw new ConfigError(sortProblems(meaningProblems));
  return config;
}

/** Syntax errors as the `yaml` library words and places them (it lists every one), else js-yaml's. */
function syntaxProblems(locator: SourceLocator, error: YAMLException): ConfigProblem[] {
  const { doc } = locator.document();
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => {
      const position = e.linePos?.[0] ?? { line: 1, col: 1 };
      return { file: locator.file, line: position.line, column: position.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
    });
  }
  const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
  return [{ file: locator.file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, path: '', message: `YAML syntax: ${error.reason}` }];
}

function expandTree(value: unknown, path: Array<string | number>, env: NodeJS.ProcessEnv, source: SourceContext, problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    const { value: expanded, unset } = expandVariables(value, env);
    for (const name of unset) problems.push(source.problem(path, `environment variable ${name} is not set; set it in the environment or in .env (see .env.example)`));
    return expanded;
  }
  if (Array.isArray(value)) return value.map((item, i) => expandTree(item, [...path, i], env, source, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandTree(item, [...path, key], env, source, problems)]));
  }
  return value;
}

function shapeProblems(issue: z.core.$ZodIssue, value: unknown, source: SourceContext): ConfigProblem[] {
  const path = issue.path as Array<string | number>;
  if (issue.code === 'unrecognized_keys') {
    const known = knownFieldsAt(path);
    return issue.keys.map((key) => {
      const suggestion = closest(key, known);
      const hint = suggestion === undefined ? `known fields: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
      return source.problem([...path, key], `unknown field "${key}"; ${hint}`, { at: 'key' });
    });
  }
  if (issue.code === 'invalid_type' && valueAt(value, path) === undefined) {
    const field = path[path.length - 1];
    return [source.problem(path.slice(0, -1), `${String(field)} is required`)];
  }
  return [source.problem(path, issue.message)];
}

function knownFieldsAt(path: ReadonlyArray<string | number>): string[] {
  if (path.length === 0) return KNOWN_FIELDS.root;
  if (path[0] === 'monitors' && path.length === 2) return KNOWN_FIELDS.monitor;
  if (path[0] === 'monitors' && path[2] === 'monitored_assets') return KNOWN_FIELDS.asset;
  return [];
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
