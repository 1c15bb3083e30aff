/**
 * @module config/unlisted-symbols — configured symbols a market's symbol list lacks, each a
 * problem at its position with the closest listed one suggested.
 */
import type { SymbolInfo } from '../exchange/index.js';
import type { ConfigProblem } from './errors.js';
import type { SourceRef } from './model.js';
import { closest } from './suggest.js';

/** `symbols[i]` written at `refs[i]`; `market` names the list in messages ("aster's futures market"). */
export function unlistedSymbols(symbols: readonly string[], refs: readonly SourceRef[], listing: readonly SymbolInfo[], market: string): ConfigProblem[] {
  const known = listing.map((s) => s.symbol);
  const set = new Set(known);
  const problems: ConfigProblem[] = [];
  symbols.forEach((symbol, i) => {
    if (set.has(symbol)) return;
    const ref = refs[i]!;
    const suggestion = closest(symbol, known);
    problems.push({
      file: ref.file,
      line: ref.line,
      column: ref.column,
      path: ref.path,
      message: `unknown symbol ${symbol}: ${market} does not list it${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    });
  });
  return problems;
}
