/**
 * @module config/assets — checking market assets against the exchange's symbol list.
 *
 * Needs the exchange, so it runs after loading (validate, run, check) and only when
 * exchangeInfo answers; otherwise the caller warns that assets were not checked.
 */
import type { SymbolInfo } from '../exchange/index.js';
import type { ConfigProblem } from './errors.js';
import type { LoadedConfig } from './model.js';
import { closest } from './suggest.js';

/** A problem for every market asset with no `{ASSET}USDT` symbol trading on the exchange. */
export function unknownAssetProblems(config: LoadedConfig, symbols: readonly SymbolInfo[]): ConfigProblem[] {
  const trading = new Set(symbols.filter((s) => s.status === 'TRADING').map((s) => s.symbol));
  const listed = new Set(symbols.map((s) => s.symbol));
  const usdtBases = symbols.filter((s) => s.quoteAsset === 'USDT').map((s) => s.baseAsset);
  const problems: ConfigProblem[] = [];
  for (const monitor of config.monitors) {
    for (const subject of monitor.assets) {
      if (trading.has(subject.symbol)) continue;
      const suggestion = closest(subject.asset, usdtBases);
      const message = listed.has(subject.symbol)
        ? `${subject.symbol} is listed but not trading on the exchange`
        : `unknown asset ${subject.asset}: the exchange has no ${subject.symbol} pair${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
      problems.push({ file: subject.ref.file, line: subject.ref.line, column: subject.ref.column, path: subject.ref.path, message });
    }
  }
  return problems;
}
