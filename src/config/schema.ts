/**
 * @module config/schema — the shape of monitors.yaml, and the one home of its common defaults.
 *
 * A monitor is a discriminated union on `monitoring_mode`: the fields every monitor
 * has, plus the fields of its mode (each mode's `fields`, from its folder). A field of
 * another mode is an unknown field, explained by the loader.
 */
import { z } from 'zod';
import { sinkConfigSchema } from '../delivery/sinks/registry.js';
import type { ModeRegistry } from '../modes/registry.js';
import { cronField, intervalSchema } from './cadence.js';
import { conditionField, nonEmpty } from './fields.js';
import { liquidationsSchema } from './liquidations.js';
import { monitorNameField } from './monitor-name.js';

export const DEFAULTS = {
  checkInterval: 300,
  notify: ['stdout'],
} as const;

/** The longest `repeat_interval`: 30 days. */
export const MAX_REPEAT_INTERVAL = 30 * 86_400;

/** Events are kept this many days unless `retention_days` says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

/** The fields every monitor has, whatever its mode. */
export const COMMON_FIELDS = {
  name: monitorNameField,
  check_interval: intervalSchema.default(DEFAULTS.checkInterval),
  schedule: cronField.optional(),
  notify: z.array(nonEmpty('a sink name'), { error: 'must be a list of sink names' }).min(1, { error: 'must name at least one sink' }).optional(),
  notify_resolved: z.boolean({ error: 'must be true or false' }).optional(),
  repeat_interval: z
    .number({ error: `must be a whole number of seconds (at least the check interval, at most ${MAX_REPEAT_INTERVAL})` })
    .int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second (and at least the check interval)' })
    .max(MAX_REPEAT_INTERVAL, { error: `must be at most ${MAX_REPEAT_INTERVAL} seconds (30 days)` })
    .optional(),
  rearm: conditionField('< 69000').optional(),
};

export const outboxSchema = z.strictObject({
  dead_after_seconds: z.number({ error: 'must be a number of seconds' }).int().min(60, { error: 'must be at least 60 seconds' }).default(86_400),
  dead_after_attempts: z.number({ error: 'must be a whole number' }).int().min(1, { error: 'must be at least 1' }).default(100),
});

/** The top level; each monitor is validated on its own against its mode (see monitorSchemaOf). */
export const rootSchema = z.strictObject({
  outbox: outboxSchema.optional(),
  liquidations: liquidationsSchema.optional(),
  retention_days: z
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1 day' })
    .max(3650, { error: 'must be at most 3650 days (ten years)' })
    .optional(),
  sinks: z.record(z.string(), sinkConfigSchema, { error: 'must be a mapping of sink names to sink settings' }).optional(),
  monitors: z.array(z.unknown(), { error: 'must be a list of monitors' }).min(1, { error: 'must define at least one monitor' }),
});

export type RawRoot = z.infer<typeof rootSchema>;

const schemas = new WeakMap<ModeRegistry, WeakMap<object, z.ZodType>>();

/** The monitor schema of a registry: a discriminated union of its modes, built once per set of modes. */
export function monitorSchemaOf(registry: ModeRegistry): z.ZodType {
  const key = registry.version;
  let byVersion = schemas.get(registry);
  if (byVersion === undefined) schemas.set(registry, (byVersion = new WeakMap()));
  let schema = byVersion.get(key);
  if (schema === undefined) {
    const options = registry.all().map((mode) => z.strictObject({ ...COMMON_FIELDS, monitoring_mode: z.literal(mode.name), ...mode.fields }));
    const names = registry.names();
    const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    schema = z.discriminatedUnion('monitoring_mode', options as unknown as [z.ZodObject, ...z.ZodObject[]], { error: `must be ${list}` });
    byVersion.set(key, schema);
  }
  return schema;
}
