/**
 * @module modes/liquidations/settings — what a liquidation monitor's configuration builds into.
 */
import type { CompiledCondition } from '../../condition/index.js';
import type { ModeBuildContext } from '../../config/mode-context.js';
import type { SourceRef } from '../../config/model.js';
import type { Liquidation, LiquidationSide, Venue } from '../../streams/liquidations/liquidation.js';

/** The documented default: every liquidation of at least $50,000. */
export const DEFAULT_LIQUIDATION_CONDITION = '>= 50k';

export type SideFilter = LiquidationSide | 'any';
export type GroupBy = 'symbol' | 'all';

export interface LiquidationSettings {
  /** The venues listened to; null: the feed's venues (the `liquidations:` section's, else aster). */
  venues: Venue[] | null;
  /** Only these symbols; null: every symbol. */
  symbols: string[] | null;
  side: SideFilter;
  condition: CompiledCondition;
  /** Seconds of the rolling window; null: one liquidation at a time. */
  window: number | null;
  groupBy: GroupBy;
  /** Where `symbols` is written, for problems found against the exchange. */
  symbolRefs: SourceRef[];
}

/** The subject of a window monitor grouping every symbol together. */
export const ALL = 'all';
/** How a per-liquidation monitor of every symbol shows on the dashboard (its events' subject is each symbol). */
export const ANY = 'any';

/** Whether a liquidation is one the monitor watches. */
export function matcher(settings: LiquidationSettings, venues: readonly Venue[]): (l: Liquidation) => boolean {
  const symbols = settings.symbols === null ? null : new Set(settings.symbols);
  const fromVenue = new Set(venues);
  const side = settings.side;
  return (l) => fromVenue.has(l.venue) && (symbols === null || symbols.has(l.symbol)) && (side === 'any' || l.side === side);
}

interface ParsedFields {
  venues?: Venue[];
  symbols?: string[];
  side?: SideFilter;
  condition?: CompiledCondition;
  window?: number;
  group_by?: GroupBy;
}

/** The validated fields as settings (the cross-field checks ran before, on the raw monitor). */
export function buildLiquidationSettings(fields: ParsedFields, ctx: ModeBuildContext, compile: (source: string) => CompiledCondition): LiquidationSettings {
  return {
    venues: fields.venues ?? null,
    symbols: fields.symbols ?? null,
    side: fields.side ?? 'any',
    condition: fields.condition ?? compile(DEFAULT_LIQUIDATION_CONDITION),
    window: fields.window ?? null,
    groupBy: fields.group_by ?? 'symbol',
    symbolRefs: (fields.symbols ?? []).map((_, i) => ctx.ref(ctx.at('symbols', i))),
  };
}
