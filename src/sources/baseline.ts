/**
 * @module sources/baseline — each symbol's price 24 hours ago (`openPrice` of ticker/24hr).
 *
 * Per round, the cheaper of N per-symbol calls (weight 1 each) and one all-symbols call
 * (weight 40) is chosen; at 40 symbols or more, the single call wins (fewer requests).
 */
import { ExchangeRejectedError, fetchOpenPriceTable, fetchOpenPrice, WEIGHT, type AsterClient } from '../exchange/index.js';
import type { Logger } from '../log/logger.js';

/** Open prices found, and the symbols the exchange had none for. */
export interface Baseline {
  openPrices: Map<string, number>;
  missing: string[];
}

/** Each symbol's price 24 hours before `at`. */
export interface BaselineSource {
  openPrices(symbols: readonly string[], at: number): Promise<Baseline>;
}

/** The 24 h baseline as a round hands it to its checks. */
export interface BaselineSnapshot {
  /** False when it could not be fetched: first checks run without a previous value. */
  available: boolean;
  openPrice(symbol: string): number | undefined;
}

const PER_SYMBOL_CONCURRENCY = 8;

/** Which way is cheaper in request weight for `count` symbols. */
export function baselineStrategy(count: number): 'per-symbol' | 'all' {
  return count * WEIGHT.ticker24hrOne < WEIGHT.ticker24hrAll ? 'per-symbol' : 'all';
}

/** Live: `openPrice` of ticker/24hr is the price 24 hours before now (`at` is not sent). */
export class Ticker24hrBaselineSource implements BaselineSource {
  constructor(
    private readonly client: AsterClient,
    private readonly logger: Logger,
  ) {}

  async openPrices(symbols: readonly string[], _at?: number): Promise<Baseline> {
    const wanted = [...new Set(symbols)];
    if (wanted.length === 0) return { openPrices: new Map(), missing: [] };
    if (baselineStrategy(wanted.length) === 'all') {
      const all = await fetchOpenPriceTable(this.client);
      const openPrices = new Map<string, number>();
      const missing: string[] = [];
      for (const symbol of wanted) {
        const price = all.prices.get(symbol);
        const problem = all.problems.get(symbol);
        // An impossible 24 h row is a gap in the baseline (said once), never a price.
        if (problem !== undefined) this.logger.warn({ symbol, reason: problem.message }, 'no usable 24-hour price for this symbol');
        if (price === undefined) missing.push(symbol);
        else openPrices.set(symbol, price);
      }
      return { openPrices, missing };
    }
    return this.perSymbol(wanted);
  }

  private async perSymbol(symbols: string[]): Promise<Baseline> {
    const openPrices = new Map<string, number>();
    const missing: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < symbols.length) {
        const symbol = symbols[next++]!;
        try {
          openPrices.set(symbol, await fetchOpenPrice(this.client, symbol));
        } catch (error) {
          // An unknown symbol is a gap in the baseline, not a failed round.
          if (error instanceof ExchangeRejectedError && error.status === 400) {
            this.logger.warn({ symbol, reason: error.message }, 'no 24-hour price for this symbol');
            missing.push(symbol);
          } else {
            throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PER_SYMBOL_CONCURRENCY, symbols.length) }, worker));
    return { openPrices, missing };
  }
}
