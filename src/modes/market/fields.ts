/**
 * @module modes/market/fields — `monitored_assets` of a market monitor, and its checks.
 */
import { z } from 'zod';
import { conditionField, nonEmpty } from '../../config/fields.js';
import type { ModeBuildContext, RawMonitor } from '../../config/mode-context.js';

const assetSchema = z.strictObject({
  asset: nonEmpty('an asset symbol such as BTC')
    .regex(/^[A-Za-z0-9]{1,20}$/, { error: 'must be an asset symbol such as BTC (letters and digits)' })
    .transform((asset) => asset.toUpperCase()),
  condition: conditionField().optional(),
});

export const marketFields = {
  monitored_assets: z.array(assetSchema, { error: 'must be a list of { asset, condition }' }).optional(),
};

/** A market monitor needs assets, each listed once. */
export function checkMarketFields(monitor: RawMonitor, ctx: ModeBuildContext): void {
  const assets = monitor.monitored_assets;
  if (assets === undefined || (Array.isArray(assets) && assets.length === 0)) {
    ctx.problem(ctx.at(), 'a market monitor needs monitored_assets: a list of { asset: BTC, condition: ">> 5%" }');
    return;
  }
  if (!Array.isArray(assets)) return;
  const seen = new Set<string>();
  assets.forEach((entry: unknown, i) => {
    const asset = (entry as { asset?: unknown } | null)?.asset;
    if (typeof asset !== 'string') return;
    const key = asset.trim().toUpperCase();
    if (seen.has(key)) ctx.problem(ctx.at('monitored_assets', i, 'asset'), `${key} is listed twice in this monitor`);
    seen.add(key);
  });
}
