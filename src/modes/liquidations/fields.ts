/**
 * @module modes/liquidations/fields — the fields of a liquidation monitor (liquidations.md §2), and their checks.
 */
import { z } from 'zod';
import { compileCondition, type CompiledCondition } from '../../condition/index.js';
import { conditionField, futuresSymbolField } from '../../config/fields.js';
import type { ModeBuildContext, RawMonitor } from '../../config/mode-context.js';
import { VENUES } from '../../streams/liquidations/liquidation.js';
import { DEFAULT_LIQUIDATION_CONDITION } from './settings.js';

export const MIN_WINDOW = 10;
export const MAX_WINDOW = 86_400;

const symbolSchema = futuresSymbolField();

export const liquidationFields = {
  venues: z
    .array(z.enum(VENUES, { error: `must be a venue: ${VENUES.join(' or ')}` }), { error: `must be a list of venues (${VENUES.join(', ')})` })
    .min(1, { error: 'must name at least one venue (or leave venues out: the feed’s venues)' })
    .refine((venues) => new Set(venues).size === venues.length, { error: 'lists a venue twice' })
    .optional(),
  symbols: z
    .array(symbolSchema, { error: 'must be a list of futures symbols such as [BTCUSDT, ETHUSDT]' })
    .min(1, { error: 'must name at least one symbol (or leave symbols out: every symbol)' })
    .optional(),
  side: z.enum(['long', 'short', 'any'], { error: 'must be long, short or any (the liquidated position)' }).optional(),
  condition: conditionField().optional(),
  window: z
    .number({ error: `must be a whole number of seconds from ${MIN_WINDOW} to ${MAX_WINDOW}` })
    .int({ error: 'must be a whole number of seconds' })
    .min(MIN_WINDOW, { error: `must be at least ${MIN_WINDOW} seconds` })
    .max(MAX_WINDOW, { error: `must be at most ${MAX_WINDOW} seconds (a day)` })
    .optional(),
  group_by: z.enum(['symbol', 'all'], { error: 'must be symbol (one subject per symbol) or all (one subject, "all")' }).optional(),
};

/**
 * Checks across fields: a monitor without `window` looks at one liquidation at a time, so it
 * can only compare a level, on every liquidation; `group_by` needs a window; a symbol once.
 */
export function checkLiquidationFields(monitor: RawMonitor, ctx: ModeBuildContext): void {
  for (const field of ['check_interval', 'schedule'] as const) {
    if (monitor[field] !== undefined)
      ctx.problem(
        ctx.at(field),
        `a liquidation monitor runs on every liquidation as it is recorded (and at least once a second), not on a schedule; remove ${field}`,
        {
          at: 'key',
        },
      );
  }
  const windowed = monitor.window !== undefined;
  if (!windowed) {
    const condition = compiled(monitor.condition ?? DEFAULT_LIQUIDATION_CONDITION);
    const reason = condition === null ? null : perLiquidationRefusal(condition);
    if (reason !== null) ctx.problem(ctx.at('condition'), reason);
    if (monitor.group_by !== undefined)
      ctx.problem(ctx.at('group_by'), 'group_by applies to a rolling window; add window: <seconds> (e.g. window: 60), or remove group_by');
  }
  if (Array.isArray(monitor.symbols)) {
    const seen = new Set<string>();
    monitor.symbols.forEach((symbol: unknown, i) => {
      if (typeof symbol !== 'string') return;
      const key = symbol.trim().toUpperCase();
      if (seen.has(key)) ctx.problem(ctx.at('symbols', i), `${key} is listed twice in this monitor`);
      seen.add(key);
    });
  }
}

/** Why a condition cannot judge single liquidations (null when it can). */
export function perLiquidationRefusal(condition: CompiledCondition): string | null {
  if (condition.kind !== 'level')
    return `"${condition.source}" measures a change, but a monitor without window: looks at one liquidation at a time, which has no previous value; compare a level (e.g. ">= 50k"), or add window: <seconds> to compare the volume of a rolling window with the window before`;
  if (condition.once)
    return `"${condition.source}" fires once on an edge, but a monitor without window: judges each liquidation on its own and keeps no state between them; use ${condition.comparison === '>' ? '">"' : '"<"'} (every liquidation that matches), or add window: <seconds> to watch the volume of a rolling window`;
  return null;
}

function compiled(raw: unknown): CompiledCondition | null {
  if (typeof raw !== 'string') return null;
  try {
    return compileCondition(raw);
  } catch {
    return null; // the field's own check reports it, with its column
  }
}
