/**
 * @module modes/portfolio/check — the total USD value of an account, one subject: `portfolio`.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { Balance } from '../../exchange/index.js';
import { QUOTE_ASSET, symbolOf, valueBalances, valueBalancesAtBaseline, type Need, type SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck } from '../mode.js';
import { isFresh, startingPoint } from '../previous.js';
import { portfolioEvent, PORTFOLIO_SUBJECT } from './event.js';
import { portfolioSeverity } from './severity.js';
import type { PortfolioSettings } from './settings.js';

export function bindPortfolio(monitor: MonitorConfig<PortfolioSettings>, sources: SourceCatalog): PolledCheck {
  const settings = monitor.settings;
  const prices = sources.prices;
  const account: Need<Balance[]> =
    settings.credentials === null ? sources.mockAccount(monitor.name, settings.mockAccountData) : sources.spotAccount(settings.credentials);
  return {
    needs: [prices, account],

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
      const priceOf = (symbol: string) => snapshot.price(symbol);
      const valuation = valueBalances(balances, priceOf);
      if (valuation.skipped.length > 0) result.warnings.push(`left out of the valuation (no USDT pair): ${valuation.skipped.join(', ')}`);

      const start = startingPoint(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt, () => {
        if (!inputs.baseline.available) return null;
        const past = valueBalancesAtBaseline(balances, priceOf, (symbol) => inputs.baseline.openPrice(symbol));
        if (past.atCurrentPrice.length > 0)
          result.warnings.push(`no 24-hour price for ${past.atCurrentPrice.join(', ')}; valued at the current price in the baseline`);
        return past.value;
      });
      const current = valuation.value;
      const evaluation = settings.condition.evaluate({ current, previous: start.previous, armed: start.armed });
      result.subjects.push({ subject: PORTFOLIO_SUBJECT, current, previous: start.previous, previousFrom: start.previousFrom, evaluation });
      result.states.push({
        monitor: monitor.name,
        subject: PORTFOLIO_SUBJECT,
        value: current,
        previous: start.previous,
        armed: evaluation.armed,
        checkedAt: inputs.checkedAt,
      });
      if (evaluation.fires) {
        const severity = settings.condition.severity({ current, previous: start.previous }, portfolioSeverity);
        result.events.push(
          portfolioEvent(
            { monitor: monitor.name, condition: settings.condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
            { current, previous: start.previous, skippedAssets: valuation.skipped },
          ),
        );
      }
      return result;
    },
  };
}
