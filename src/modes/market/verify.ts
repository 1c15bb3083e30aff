/**
 * @module modes/market/verify — every market asset must have a `{ASSET}USDT` pair trading on the exchange.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { closest } from '../../config/suggest.js';
import type { SymbolInfo } from '../../exchange/index.js';
import type { MarketSettings } from './settings.js';

export function unknownAssets(monitor: MonitorConfig<MarketSettings>, symbols: readonly SymbolInfo[]): ConfigProblem[] {
  const trading = new Set(symbols.filter((s) => s.status === 'TRADING').map((s) => s.symbol));
  const listed = new Set(symbols.map((s) => s.symbol));
  const usdtBases = symbols.filter((s) => s.quoteAsset === 'USDT').map((s) => s.baseAsset);
  const problems: ConfigProblem[] = [];
  for (const subject of monitor.settings.assets) {
    if (trading.has(subject.symbol)) continue;
    const suggestion = closest(subject.asset, usdtBases);
    const message = listed.has(subject.symbol)
      ? `${subject.symbol} is listed but not trading on the exchange`
      : `unknown asset ${subject.asset}: the exchange has no ${subject.symbol} pair${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
    problems.push({ file: subject.ref.file, line: subject.ref.line, column: subject.ref.column, path: subject.ref.path, message });
  }
  return problems;
}
