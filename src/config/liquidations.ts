/**
 * @module config/liquidations — the `liquidations:` section: the recorded feed (liquidations.md §2).
 */
import { z } from 'zod';
import { VENUES, type Venue } from '../streams/liquidations/liquidation.js';

export const LIQUIDATION_DEFAULTS = { venues: ['aster'] as Venue[], retentionHours: 240, lifetimeSeconds: 3600 };

const venueSchema = z.enum(VENUES, { error: `must be a venue: ${VENUES.join(' or ')}` });

export const liquidationsSchema = z.strictObject({
  venues: z
    .array(venueSchema, { error: `must be a list of venues (${VENUES.join(', ')})` })
    .min(1, { error: 'must name at least one venue' })
    .refine((venues) => new Set(venues).size === venues.length, { error: 'lists a venue twice' })
    .optional(),
  retention_hours: z
    .number({ error: 'must be a whole number of hours from 1 to 8760' })
    .int({ error: 'must be a whole number of hours' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(8760, { error: 'must be at most 8760 hours (a year)' })
    .optional(),
  max_connection_lifetime: z
    .number({ error: 'must be a whole number of seconds from 10 to 86400' })
    .int({ error: 'must be a whole number of seconds' })
    .min(10, { error: 'must be at least 10 seconds' })
    .max(86_400, { error: 'must be at most 86400 seconds (the exchange cuts a connection at 24 h)' })
    .optional(),
});

/** The feed as configured. */
export interface LiquidationFeedConfig {
  venues: Venue[];
  retentionHours: number;
  lifetimeSeconds: number;
}

export function liquidationFeedConfig(raw: z.infer<typeof liquidationsSchema> | undefined): LiquidationFeedConfig | null {
  if (raw === undefined) return null;
  return {
    venues: raw.venues ?? [...LIQUIDATION_DEFAULTS.venues],
    retentionHours: raw.retention_hours ?? LIQUIDATION_DEFAULTS.retentionHours,
    lifetimeSeconds: raw.max_connection_lifetime ?? LIQUIDATION_DEFAULTS.lifetimeSeconds,
  };
}
