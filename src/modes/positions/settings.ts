/**
 * @module modes/positions/settings — what a positions monitor's configuration builds into.
 */
import type { CompiledCondition } from '../../condition/index.js';
import { buildCredentials } from '../../config/credentials.js';
import type { ModeBuildContext } from '../../config/mode-context.js';
import type { SourceRef } from '../../config/model.js';
import type { Credentials } from '../../exchange/index.js';
import type { Measure } from './measure.js';

/** The documented default: once, when a position comes within 10 % of its liquidation price. */
export const DEFAULT_POSITIONS_CONDITION = '<< 10';

export interface PositionsSettings {
  credentials: Credentials;
  measure: Measure;
  condition: CompiledCondition;
  /** Only these symbols' positions; null: every open position. */
  symbols: string[] | null;
  /** Where `symbols` is written, for problems found against the exchange. */
  symbolRefs: SourceRef[];
}

interface ParsedFields {
  api_key?: string;
  api_secret?: string;
  signer?: string;
  private_key?: string;
  user?: string;
  measure?: Measure;
  condition?: CompiledCondition;
  symbols?: string[];
}

export function buildPositionsSettings(fields: ParsedFields, ctx: ModeBuildContext, compile: (source: string) => CompiledCondition): PositionsSettings | null {
  const credentials = buildCredentials(fields);
  if (credentials === null) return null;
  return {
    credentials,
    measure: fields.measure ?? 'liquidation_distance',
    condition: fields.condition ?? compile(DEFAULT_POSITIONS_CONDITION),
    symbols: fields.symbols ?? null,
    symbolRefs: (fields.symbols ?? []).map((_, i) => ctx.ref(ctx.at('symbols', i))),
  };
}
