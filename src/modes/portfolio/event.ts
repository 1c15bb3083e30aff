/**
 * @module modes/portfolio/event — `asterex.portfolio.condition_met` (events.md).
 */
import {
  buildEvent,
  changeBetween,
  finiteOrNull,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  requireFinite,
  type AlertEvent,
  type CheckContext,
  type EventData,
} from '../../events/index.js';

export const PORTFOLIO_EVENT_TYPE = 'asterex.portfolio.condition_met';
export const PORTFOLIO_SUBJECT = 'portfolio';

export interface PortfolioEventData extends EventData {
  current_value: string;
  previous_value: string | null;
  change_amount: string | null;
  change_percent: string | null;
  values: {
    current_value: number;
    previous_value: number | null;
    change_amount: number | null;
    change_percent: number | null;
  };
  skipped_assets: string[];
  /** Which account was valued (aster-accounts.md §4). */
  account: 'spot' | 'futures';
}

/** Builds `asterex.portfolio.condition_met`. */
export function portfolioEvent(
  context: CheckContext,
  valuation: { current: number; previous: number | null; skippedAssets: readonly string[]; account?: 'spot' | 'futures' },
): AlertEvent<PortfolioEventData> {
  const current = requireFinite(valuation.current, 'portfolio value');
  const previous = finiteOrNull(valuation.previous);
  const change = changeBetween(current, previous);
  return buildEvent(PORTFOLIO_EVENT_TYPE, PORTFOLIO_SUBJECT, context, {
    current_value: formatUsd(current),
    condition: context.condition,
    previous_value: previous === null ? null : formatUsd(previous),
    change_amount: change.amount === null ? null : formatSignedUsd(change.amount),
    change_percent: change.percent === null ? null : formatSignedPercent(change.percent),
    values: { current_value: current, previous_value: previous, change_amount: change.amount, change_percent: change.percent },
    skipped_assets: [...valuation.skippedAssets],
    account: valuation.account ?? 'spot',
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}
