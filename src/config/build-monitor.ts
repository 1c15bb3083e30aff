/**
 * @module config/build-monitor — one monitor from its raw form: shape, its mode's checks, settings.
 */
import type { ModeRegistry } from '../modes/registry.js';
import { checkCadence } from './cadence.js';
import type { ConfigProblem } from './errors.js';
import type { SourceContext } from './load.js';
import type { ModeBuildContext, RawMonitor } from './mode-context.js';
import type { ConfigWarning, MonitorConfig } from './model.js';
import { DEFAULTS, monitorSchemaOf } from './schema.js';
import { shapeProblems } from './shape-problems.js';

interface BuildScope {
  source: SourceContext;
  modes: ModeRegistry;
  problems: ConfigProblem[];
  warnings: ConfigWarning[];
}

/** Validates monitors[index]; reports every problem found; returns the monitor when it has none. */
export function buildMonitor(raw: unknown, index: number, { source, modes, problems, warnings }: BuildScope): MonitorConfig | null {
  const prefix = ['monitors', index] as const;
  const schema = monitorSchemaOf(modes);
  const before = problems.length;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => shapeProblems(issue, prefix, raw, schema, source, modes)));

  const fields: RawMonitor = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as RawMonitor) : {};
  const context: ModeBuildContext = {
    monitorName: typeof fields.name === 'string' ? fields.name : `monitors[${index}]`,
    at: (...rest) => [...prefix, ...rest],
    problem: (path, message, options) => problems.push(source.problem(path, message, options)),
    warn: (path, message) => warnings.push({ ref: source.locator.ref(path), message }),
    ref: (path) => source.locator.ref(path),
  };
  checkCadence(fields, context);
  const modeName = fields.monitoring_mode;
  const mode = typeof modeName === 'string' ? modes.get(modeName) : undefined;
  if (mode === undefined) return null;
  mode.checkFields?.(fields, context);
  if (!parsed.success || problems.length > before) return null;

  const data = parsed.data as Record<string, unknown> & { name: string; check_interval: number; schedule?: string; notify?: string[] };
  const settings = mode.build(data, context);
  if (settings === null || problems.length > before) return null;
  return {
    name: data.name,
    mode: mode.name,
    plugin: mode,
    intervalSeconds: data.check_interval,
    schedule: data.schedule ?? null,
    notify: data.notify ?? [...DEFAULTS.notify],
    ref: source.locator.ref([...prefix, 'name']),
    settings,
  };
}
