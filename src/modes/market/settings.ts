/**
 * @module modes/market/settings — what a market monitor's configuration builds into.
 */
import { compileCondition, type CompiledCondition } from '../../condition/index.js';
import type { ModeBuildContext, SourceRefs } from '../../config/mode-context.js';
import type { SourceRef } from '../../config/model.js';
import { symbolOf } from '../../sources/symbols.js';

/** The documented default of an asset without a condition; it fires on every check above 10 (validate warns). */
export const DEFAULT_ASSET_CONDITION = '> 10';

export interface MarketSubjectConfig {
  asset: string;
  symbol: string;
  condition: CompiledCondition;
  /** True when the documented default `> 10` applies. */
  defaultCondition: boolean;
  readonly ref: SourceRef;
  /** The same subject under another condition (replay's `--condition`). */
  withCondition(condition: CompiledCondition): MarketSubjectConfig;
}

export interface MarketSettings {
  assets: MarketSubjectConfig[];
}

/**
 * One string per distinct asset and symbol, whatever the number of monitors naming it: a
 * round reads each monitor's, and 10,000 copies of "BTCUSDT" scattered over the heap missed
 * the processor's cache where one string read by every check stays in it. Bounded: the table
 * starts over past INTERNED_KEPT strings (then some copies are merely not shared).
 */
const INTERNED_KEPT = 100_000;
const interning = new Map<string, string>();
function interned(text: string): string {
  const known = interning.get(text);
  if (known !== undefined) return known;
  if (interning.size >= INTERNED_KEPT) interning.clear();
  interning.set(text, text);
  return text;
}

/**
 * A subject as built: where it was written is made when read (only a message about an unknown
 * asset reads it), from the file's references and two indexes (see SourceRefs).
 */
class MarketSubject implements MarketSubjectConfig {
  constructor(
    readonly asset: string,
    readonly symbol: string,
    readonly condition: CompiledCondition,
    readonly defaultCondition: boolean,
    private readonly refs: SourceRefs,
    private readonly monitorIndex: number,
    private readonly assetIndex: number,
  ) {}

  get ref(): SourceRef {
    return this.refs.under(this.monitorIndex, ['monitored_assets', this.assetIndex, 'asset']);
  }

  /** The same subject under another condition (replay's `--condition`): a new subject, since a spread would not carry `ref`. */
  withCondition(condition: CompiledCondition): MarketSubject {
    return new MarketSubject(this.asset, this.symbol, condition, false, this.refs, this.monitorIndex, this.assetIndex);
  }
}

interface ParsedAsset {
  asset: string;
  condition?: CompiledCondition;
}

export function buildMarketSettings(fields: { monitored_assets?: ParsedAsset[] }, ctx: ModeBuildContext): MarketSettings {
  const assets = (fields.monitored_assets ?? []).map((entry, i): MarketSubjectConfig => {
    if (entry.condition === undefined) {
      ctx.warn(
        ctx.at('monitored_assets', i, 'asset'),
        `${entry.asset} has no condition and uses the default "${DEFAULT_ASSET_CONDITION}", which fires on every check while the price is above 10; write a condition such as ">> 5%"`,
      );
    }
    return new MarketSubject(
      interned(entry.asset),
      interned(symbolOf(entry.asset)),
      entry.condition ?? compileCondition(DEFAULT_ASSET_CONDITION),
      entry.condition === undefined,
      ctx.refs,
      ctx.index,
      i,
    );
  });
  return { assets };
}
