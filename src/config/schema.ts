/**
 * @module config/schema — the shape of monitors.yaml, and the one home of its defaults.
 *
 * Field names follow the product documentation. Meaning that zod cannot express
 * (conditions, mode-specific fields, duplicate names, sink references) is checked
 * in validate.ts, with the same positions.
 */
import { z } from 'zod';
import { sinkConfigSchema } from '../delivery/sinks/registry.js';

export const DEFAULTS = {
  checkInterval: 300,
  assetCondition: '> 10',
  portfolioCondition: '>> 5%',
  notify: ['stdout'],
} as const;

export const MIN_INTERVAL = 60;
export const MAX_INTERVAL = 86_400;

const intervalSchema = z
  .number({ error: `must be a whole number of seconds from ${MIN_INTERVAL} to ${MAX_INTERVAL}` })
  .int({ error: 'must be a whole number of seconds' })
  .min(MIN_INTERVAL, { error: `must be at least ${MIN_INTERVAL} seconds (it is not clamped)` })
  .max(MAX_INTERVAL, { error: `must be at most ${MAX_INTERVAL} seconds (one day; it is not clamped)` });

const nonEmpty = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, { error: `must not be empty` });

export const assetSchema = z.strictObject({
  asset: nonEmpty('an asset symbol such as BTC')
    .regex(/^[A-Za-z0-9]{1,20}$/, { error: 'must be an asset symbol such as BTC (letters and digits)' })
    .transform((asset) => asset.toUpperCase()),
  condition: z.string({ error: 'must be a condition such as ">> 5%" (quote it)' }).optional(),
});

export const monitorSchema = z.strictObject({
  name: nonEmpty('a name'),
  monitoring_mode: z.enum(['market', 'portfolio'], { error: 'must be market or portfolio' }),
  check_interval: intervalSchema.default(DEFAULTS.checkInterval),
  schedule: nonEmpty('a cron expression such as "*/5 * * * *"').optional(),
  monitored_assets: z.array(assetSchema, { error: 'must be a list of { asset, condition }' }).optional(),
  portfolio_condition: z.string({ error: 'must be a condition such as ">> 5%" (quote it)' }).optional(),
  api_key: nonEmpty('the API key').optional(),
  api_secret: nonEmpty('the API secret').optional(),
  mock_account_data: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a JSON string or an object with balances' }).optional(),
  notify: z.array(nonEmpty('a sink name'), { error: 'must be a list of sink names' }).min(1, { error: 'must name at least one sink' }).optional(),
});

export const outboxSchema = z.strictObject({
  dead_after_seconds: z.number({ error: 'must be a number of seconds' }).int().min(60, { error: 'must be at least 60 seconds' }).default(86_400),
  dead_after_attempts: z.number({ error: 'must be a whole number' }).int().min(1, { error: 'must be at least 1' }).default(100),
});

export const configSchema = z.strictObject({
  outbox: outboxSchema.optional(),
  sinks: z.record(z.string(), sinkConfigSchema, { error: 'must be a mapping of sink names to sink settings' }).optional(),
  monitors: z.array(monitorSchema, { error: 'must be a list of monitors' }).min(1, { error: 'must define at least one monitor' }),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawMonitor = z.infer<typeof monitorSchema>;

/** Field names per object, for "did you mean". */
export const KNOWN_FIELDS = {
  root: Object.keys(configSchema.shape),
  monitor: Object.keys(monitorSchema.shape),
  asset: Object.keys(assetSchema.shape),
};
