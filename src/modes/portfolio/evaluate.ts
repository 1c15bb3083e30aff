/**
 * @module modes/portfolio/evaluate — the account's value against the condition, for spot and
 * futures alike: the outcome, the state written, and the event when it fires.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { MonitorCheck, RoundInputs, SubjectOutcome } from '../mode.js';
import type { Start } from '../previous.js';
import { portfolioEvent, PORTFOLIO_SUBJECT } from './event.js';
import { portfolioSeverity } from './severity.js';
import type { PortfolioSettings } from './settings.js';

export function evaluatePortfolio(
  result: MonitorCheck,
  monitor: MonitorConfig<PortfolioSettings>,
  inputs: RoundInputs,
  current: number,
  start: Start,
  valued: { skippedAssets: readonly string[]; account: 'spot' | 'futures' },
): MonitorCheck {
  const { condition } = monitor.settings;
  const evaluation = condition.test(current, start.previous, start.armed);
  const outcome: SubjectOutcome = { subject: PORTFOLIO_SUBJECT, current, previous: start.previous, previousFrom: start.previousFrom, evaluation };
  result.subjects.push(outcome);
  // The lifecycle's reminders and resolved notices carry this check's measures.
  if (monitor.alerting.active)
    outcome.raise = (discriminator) =>
      portfolioEvent(
        {
          monitor: monitor.name,
          condition: condition.source,
          severity: condition.severity({ current, previous: start.previous }, portfolioSeverity),
          roundTime: inputs.roundTime,
          checkedAt: new Date(inputs.checkedAt),
          discriminator,
        },
        { current, previous: start.previous, ...valued },
      );
  result.states.push({
    monitor: monitor.name,
    subject: PORTFOLIO_SUBJECT,
    value: current,
    previous: start.previous,
    armed: evaluation.armed,
    checkedAt: inputs.checkedAt,
  });
  if (evaluation.fires) {
    const severity = condition.severity({ current, previous: start.previous }, portfolioSeverity);
    result.events.push(
      portfolioEvent(
        { monitor: monitor.name, condition: condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
        { current, previous: start.previous, ...valued },
      ),
    );
  }
  return result;
}
