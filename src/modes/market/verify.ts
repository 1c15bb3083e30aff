/**
 * @module modes/market/verify — every market asset must have a `{ASSET}USDT` pair trading on the exchange.
 */
import type { ConfigProblem } from '../../config/errors.js';
import type { MonitorConfig } from '../../config/model.js';
import { closest } from '../../config/suggest.js';
import type { SymbolInfo } from '../../exchange/index.js';
import type { MarketSettings } from './settings.js';

interface SymbolIndex {
  trading: ReadonlySet<string>;
  listed: ReadonlySet<string>;
  usdtBases: readonly string[];
}

/** Built once per symbol list, not once per monitor: 10,000 monitors share one list. */
const indexes = new WeakMap<readonly SymbolInfo[], SymbolIndex>();

function indexOf(symbols: readonly SymbolInfo[]): SymbolIndex {
  let index = indexes.get(symbols);
  if (index === undefined) {
    index = {
      trading: new Set(symbols.filter((s) => s.status === 'TRADING').map((s) => s.symbol)),
      listed: new Set(symbols.map((s) => s.symbol)),
      usdtBases: symbols.filter((s) => s.quoteAsset === 'USDT').map((s) => s.baseAsset),
    };
    indexes.set(symbols, index);
  }
  return index;
}

export function unknownAssets(monitor: MonitorConfig<MarketSettings>, symbols: readonly SymbolInfo[]): ConfigProblem[] {
  const { trading, listed, usdtBases } = indexOf(symbols);
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
