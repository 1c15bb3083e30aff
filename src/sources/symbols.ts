/**
 * @module sources/symbols — how an asset maps to the symbol that prices it.
 */

/** The quote asset every price is read in; valued at 1.0 itself (conditions.md resolution 3). */
export const QUOTE_ASSET = 'USDT';

/** `{ASSET}USDT`. */
export function symbolOf(asset: string): string {
  return `${asset}${QUOTE_ASSET}`;
}
