/**
 * @module modes/portfolio/check — the total USD value of an account, one subject: `portfolio`
 * (a spot account here; a futures account in futures-check.ts).
 */
import type { MonitorConfig } from '../../config/model.js';
import type { Balance } from '../../exchange/index.js';
import { QUOTE_ASSET, symbolOf, valueBalances, valueBalancesAtBaseline, type Need, type SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck } from '../mode.js';
import { isFresh, startingPoint } from '../previous.js';
import { PORTFOLIO_SUBJECT } from './event.js';
import { evaluatePortfolio } from './evaluate.js';
import { bindFuturesPortfolio } from './futures-check.js';
import type { PortfolioSettings } from './settings.js';

export function bindPortfolio(monitor: MonitorConfig<PortfolioSettings>, sources: SourceCatalog): PolledCheck {
  return monitor.settings.account === 'futures' ? bindFuturesPortfolio(monitor, sources) : bindSpotPortfolio(monitor, sources);
}

/** A spot account: every balance at its `{ASSET}USDT` price, USDT at 1. */
function bindSpotPortfolio(monitor: MonitorConfig<PortfolioSettings>, sources: SourceCatalog): PolledCheck {
  const settings = monitor.settings;
  const prices = sources.prices;
  const account: Need<Balance[]> =
    settings.credentials === null ? sources.mockAccount(monitor.name, settings.mockAccountData) : sources.spotAccount(settings.credentials);
  const listedSymbols = sources.listedSymbols;
  /** Assets valued at this monitor's last successful check (in this process): a price they lack now is missing, not absent. */
  let valuedBefore: ReadonlySet<string> = new Set();
  return {
    needs: [prices, account, listedSymbols],

    baselineSymbols(states, inputs, into) {
      if (isFresh(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt)) return;
      let balances: Balance[];
      let snapshot;
      try {
        balances = inputs.read(account);
        snapshot = inputs.read(prices);
      } catch {
        return; // the check reports it
      }
      for (const b of balances) {
        const symbol = symbolOf(b.asset);
        if (b.asset !== QUOTE_ASSET && b.free + b.locked > 0 && snapshot.price(symbol) !== undefined) into.add(symbol);
      }
    },

    check(states, inputs) {
      const result = emptyCheck(monitor.name);
      const snapshot = inputs.read(prices);
      const balances = inputs.read(account);
      const listed = inputs.read(listedSymbols);
      const priceOf = (symbol: string) => snapshot.price(symbol);
      const valuation = valueBalances(balances, priceOf);
      // A held asset whose pair exists (listed, or priced at the last check) but has no
      // usable price this round fails the check: valuing it at 0 would raise a false alert
      // now and its mirror image at the next round. Only an asset that never had a USDT
      // pair is left out.
      const missing = valuation.skipped.filter(
        (asset) => listed.listed(symbolOf(asset)) || valuedBefore.has(asset) || snapshot.problem(symbolOf(asset)) !== undefined,
      );
      if (missing.length > 0) {
        for (const asset of missing) {
          const symbol = symbolOf(asset);
          result.errors.push(
            snapshot.problem(symbol)?.message ??
              `no price for ${symbol} in this round's ticker although ${asset} is held and the pair exists; the portfolio is not valued this round`,
          );
        }
        return result;
      }
      if (!Number.isFinite(valuation.value)) {
        result.errors.push('the account value is not a finite number (balances or prices out of any sane range); the portfolio is not valued this round');
        return result;
      }
      if (valuation.skipped.length > 0) result.warnings.push(`left out of the valuation (no USDT pair): ${valuation.skipped.join(', ')}`);
      valuedBefore = new Set(balances.filter((b) => b.asset !== QUOTE_ASSET && priceOf(symbolOf(b.asset)) !== undefined).map((b) => b.asset));

      const start = startingPoint(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt, () => {
        if (!inputs.baseline.available) return null;
        const past = valueBalancesAtBaseline(balances, priceOf, (symbol) => inputs.baseline.openPrice(symbol));
        if (past.atCurrentPrice.length > 0)
          result.warnings.push(`no 24-hour price for ${past.atCurrentPrice.join(', ')}; valued at the current price in the baseline`);
        return past.value;
      });
      return evaluatePortfolio(result, monitor, inputs, valuation.value, start, { skippedAssets: valuation.skipped, account: 'spot' });
    },
  };
}
