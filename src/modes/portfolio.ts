/**
 * @module modes/portfolio — the total USD value of an account, one subject: `portfolio`.
 */
import type { MonitorConfig } from '../config/index.js';
import { portfolioEvent } from '../events/index.js';
import { QUOTE_ASSET, symbolOf, valueBalances, valueBalancesAtBaseline } from '../sources/index.js';
import type { SubjectState } from '../store/index.js';
import type { BaselineInputs, Mode, MonitorCheck, RoundInputs } from './mode.js';
import { isFresh, startingPoint } from './previous.js';

export const PORTFOLIO_SUBJECT = 'portfolio';

export const portfolioMode: Mode = {
  name: 'portfolio',

  collectBaselineSymbols(monitor, states, inputs, into) {
    if (isFresh(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt)) return;
    const balances = inputs.balances(monitor);
    if (balances instanceof Error) return;
    for (const b of balances) {
      const symbol = symbolOf(b.asset);
      if (b.asset !== QUOTE_ASSET && b.free + b.locked > 0 && inputs.prices.price(symbol) !== undefined) into.add(symbol);
    }
  },

  check(monitor: MonitorConfig, states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs, baseline: BaselineInputs): MonitorCheck {
    const result: MonitorCheck = { monitor: monitor.name, states: [], events: [], subjects: [], errors: [], warnings: [] };
    const settings = monitor.portfolio!;
    const balances = inputs.balances(monitor);
    if (balances instanceof Error) {
      result.errors.push(balances.message);
      return result;
    }
    const priceOf = (symbol: string) => inputs.prices.price(symbol);
    const valuation = valueBalances(balances, priceOf);
    if (valuation.skipped.length > 0) result.warnings.push(`left out of the valuation (no USDT pair): ${valuation.skipped.join(', ')}`);

    const start = startingPoint(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt, () => {
      if (!baseline.available) return null;
      const past = valueBalancesAtBaseline(balances, priceOf, (symbol) => baseline.openPrice(symbol));
      if (past.atCurrentPrice.length > 0) result.warnings.push(`no 24-hour price for ${past.atCurrentPrice.join(', ')}; valued at the current price in the baseline`);
      return past.value;
    });
    const current = valuation.value;
    const evaluation = settings.condition.evaluate({ current, previous: start.previous, armed: start.armed });
    result.subjects.push({ subject: PORTFOLIO_SUBJECT, current, previous: start.previous, previousFrom: start.previousFrom, evaluation });
    result.states.push({ monitor: monitor.name, subject: PORTFOLIO_SUBJECT, value: current, previous: start.previous, armed: evaluation.armed, checkedAt: inputs.checkedAt });
    if (evaluation.fires) {
      const severity = settings.condition.severity({ mode: 'portfolio', current, previous: start.previous });
      result.events.push(portfolioEvent(
        { monitor: monitor.name, condition: settings.condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
        { current, previous: start.previous, skippedAssets: valuation.skipped },
      ));
    }
    return result;
  },
};
