/**
 * @module config/build-monitor — one monitor from its raw form: shape, its mode's checks, settings.
 */
import { createHash } from 'node:crypto';
import type { ModeRegistry } from '../modes/registry.js';
import type { CompiledCondition } from '../condition/index.js';
import { alertPolicy, type AlertPolicy } from '../lifecycle/policy.js';
import type { Mode } from '../modes/mode.js';
import { checkCadence, MIN_INTERVAL } from './cadence.js';
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
    index,
    refs: source.locator,
  };
  checkCadence(fields, context);
  const modeName = fields.monitoring_mode;
  const mode = typeof modeName === 'string' ? modes.get(modeName) : undefined;
  if (mode === undefined) return null;
  mode.checkFields?.(fields, context);
  if (!parsed.success || problems.length > before) return null;

  const data = parsed.data as Record<string, unknown> & CommonFields;
  const settings = mode.build(data, context);
  if (settings === null || problems.length > before) return null;
  const alerting = buildAlertPolicy(data, mode, settings, context);
  if (problems.length > before) return null;
  return {
    name: data.name,
    mode: mode.name,
    plugin: mode,
    intervalSeconds: data.check_interval,
    schedule: data.schedule ?? null,
    notify: data.notify ?? DEFAULT_NOTIFY,
    settings,
    alerting,
    definition: canonicalJson(raw),
  };
}

/** Shared by every monitor that names no sink. */
const DEFAULT_NOTIFY: readonly string[] = Object.freeze([...DEFAULTS.notify]);

/**
 * A digest of the monitor as written, keys sorted at every level: the same monitor written in
 * another key order is the same definition. A digest rather than the text: a reload only
 * compares them, and 10,000 monitors would keep 10,000 copies of their own source.
 */
function canonicalJson(value: unknown): number {
  return digest(
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ),
  );
}

/**
 * The SHA-256's first 53 bits, as a number: only ever compared with the same monitor's digest
 * at a reload (a changed monitor taken for unchanged: one chance in 2^53), and a number is 16
 * bytes where the 22 characters of 128 bits in base64url were 40 (24 MB at 1,000,000 monitors).
 */
function digest(text: string): number {
  return Number(createHash('sha256').update(text).digest().readBigUInt64BE(0) >> 11n);
}

interface CommonFields {
  name: string;
  check_interval: number;
  schedule?: string;
  notify?: string[];
  notify_resolved?: boolean;
  repeat_interval?: number;
  rearm?: CompiledCondition;
}

/** `notify_resolved`, `repeat_interval` and `rearm`, checked against the monitor's mode, cadence and conditions. */
function buildAlertPolicy(data: CommonFields, mode: Mode, settings: unknown, ctx: ModeBuildContext): AlertPolicy {
  const notifyResolved = data.notify_resolved ?? false;
  const refused = new Set<string>();
  for (const field of ['notify_resolved', 'rearm'] as const) {
    if (data[field] === undefined || (field === 'notify_resolved' && !notifyResolved)) continue;
    const refusal = mode.refuseLifecycle?.(settings, field) ?? null;
    if (refusal !== null) {
      ctx.problem(ctx.at(field), refusal, { at: 'key' });
      refused.add(field);
    }
  }
  const repeat = data.repeat_interval ?? null;
  if (repeat !== null && mode.driver.kind === 'polled') {
    const every = data.schedule === undefined ? data.check_interval : MIN_INTERVAL;
    if (repeat < every) {
      const cadence = data.schedule === undefined ? `check_interval (${every} s)` : `the shortest gap a schedule may have (${every} s)`;
      ctx.problem(ctx.at('repeat_interval'), `must be at least ${cadence}: a reminder or a cooldown shorter than a check is never used; raise it or remove it`);
    }
  }
  const rearm = data.rearm ?? null;
  if (rearm !== null && !refused.has('rearm')) {
    if (rearm.once)
      ctx.problem(ctx.at('rearm'), `must be a plain condition such as "< 69000" (without >> or <<): it is tested at each check while the alert is disarmed`);
    else if (mode.conditionsOf !== undefined && !mode.conditionsOf(settings).some((c) => c.once))
      ctx.problem(
        ctx.at('rearm'),
        'applies to once-conditions (>> or <<), and this monitor has none: a repeating condition re-fires on every check it holds; use a once-condition, or repeat_interval for a cooldown',
        { at: 'key' },
      );
  }
  return alertPolicy(notifyResolved, repeat, rearm);
}
