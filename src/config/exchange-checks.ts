/**
 * @module config/exchange-checks — what only the exchange knows (listed symbols), asked of each mode.
 *
 * Needs the exchange, so it runs after loading (validate, run, check) and only when
 * exchangeInfo answers; otherwise the caller warns that symbols were not checked.
 */
import type { SymbolInfo } from '../exchange/index.js';
import type { ConfigProblem } from './errors.js';
import type { LoadedConfig } from './model.js';

/** Every problem the modes find against the exchange's symbol list. */
export function exchangeProblems(config: LoadedConfig, symbols: readonly SymbolInfo[]): ConfigProblem[] {
  return config.monitors.flatMap((monitor) => monitor.plugin.verifyAgainstExchange?.(monitor, symbols) ?? []);
}

/** The name under which earlier versions exported the check (market assets were its only case). */
export const unknownAssetProblems = exchangeProblems;
