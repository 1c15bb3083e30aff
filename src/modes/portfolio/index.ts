/**
 * @module modes/portfolio — the total USD value of an account, one subject: `portfolio`.
 */
import type { Mode } from '../mode.js';
import { bindPortfolio } from './check.js';
import { PORTFOLIO_EVENT_TYPE, PORTFOLIO_SUBJECT } from './event.js';
import { checkPortfolioFields, portfolioFields } from './fields.js';
import { buildPortfolioSettings, type PortfolioSettings } from './settings.js';
import { portfolioSeverity } from './severity.js';
import { renderPortfolioTelegram } from './telegram.js';

export type { PortfolioSettings } from './settings.js';
export { portfolioEvent, PORTFOLIO_EVENT_TYPE, PORTFOLIO_SUBJECT, type PortfolioEventData } from './event.js';

export const portfolioMode: Mode<PortfolioSettings> = {
  name: 'portfolio',
  summary: "an account's total value in USD, one subject: portfolio",
  fields: portfolioFields,
  checkFields: checkPortfolioFields,
  build: (fields) => buildPortfolioSettings(fields),
  subjects: (monitor) => [{ subject: PORTFOLIO_SUBJECT, symbol: null, condition: monitor.settings.condition }],
  noun: 'the portfolio value',
  severity: portfolioSeverity,
  eventType: PORTFOLIO_EVENT_TYPE,
  renderTelegram: renderPortfolioTelegram,
  driver: { kind: 'polled', bind: bindPortfolio },
  notReplayable: (monitor) =>
    monitor.settings.account === 'futures' ? "a futures account's value has no history on the exchange (only what this service recorded)" : null,
  conditionsOf: (settings) => [settings.condition],
  withCondition: (settings, condition) => ({ ...settings, condition }),
};
