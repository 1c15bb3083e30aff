/**
 * @module modes/market/settings — what a market monitor's configuration builds into.
 */
import { compileCondition, type CompiledCondition } from '../../condition/index.js';
import type { ModeBuildContext } from '../../config/mode-context.js';
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
  ref: SourceRef;
}

export interface MarketSettings {
  assets: MarketSubjectConfig[];
}

interface ParsedAsset {
  asset: string;
  condition?: CompiledCondition;
}

export function buildMarketSettings(fields: { monitored_assets?: ParsedAsset[] }, ctx: ModeBuildContext): MarketSettings {
  const assets = (fields.monitored_assets ?? []).map((entry, i): MarketSubjectConfig => {
    const ref = ctx.ref(ctx.at('monitored_assets', i, 'asset'));
    if (entry.condition === undefined) {
      ctx.warn(
        ctx.at('monitored_assets', i, 'asset'),
        `${entry.asset} has no condition and uses the default "${DEFAULT_ASSET_CONDITION}", which fires on every check while the price is above 10; write a condition such as ">> 5%"`,
      );
    }
    return {
      asset: entry.asset,
      symbol: symbolOf(entry.asset),
      condition: entry.condition ?? compileCondition(DEFAULT_ASSET_CONDITION),
      defaultCondition: entry.condition === undefined,
      ref,
    };
  });
  return { assets };
}
