/**
 * @module modes/portfolio/futures-check — a futures account's value: its `totalMarginBalance`
 * (wallet balance plus unrealised profit), one subject: `portfolio` (aster-accounts.md §4).
 *
 * The exchange keeps no history of an account's value, so the 24 h baseline is the value
 * the service recorded closest to 24 hours ago (within an hour of it); without one, change
 * conditions are not evaluable on the first check, which a warning says once.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck } from '../mode.js';
import { startingPoint } from '../previous.js';
import { PORTFOLIO_SUBJECT } from './event.js';
import { evaluatePortfolio } from './evaluate.js';
import type { PortfolioSettings } from './settings.js';

export function bindFuturesPortfolio(monitor: MonitorConfig<PortfolioSettings>, sources: SourceCatalog): PolledCheck {
  const settings = monitor.settings;
  if (settings.credentials === null) throw new Error(`monitor "${monitor.name}" values a futures account without credentials`);
  const account = sources.futuresAccount(settings.credentials);
  let warnedNoBaseline = false;
  return {
    needs: [account],

    check(states, inputs) {
      const result = emptyCheck(monitor.name);
      const reading = inputs.read(account);
      const current = reading.account.totalMarginBalance;
      const start = startingPoint(states.get(PORTFOLIO_SUBJECT), inputs.checkedAt, () => reading.dayAgo?.value ?? null);
      if (start.previousFrom === 'none' && settings.condition.needsPrevious && !warnedNoBaseline) {
        warnedNoBaseline = true;
        result.warnings.push(
          'no value of this futures account was recorded about 24 hours ago (the exchange keeps none); the change condition is not evaluable on this first check and is from the next check on',
        );
      }
      return evaluatePortfolio(result, monitor, inputs, current, start, { skippedAssets: [], account: 'futures' });
    },
  };
}
