/**
 * @module modes/portfolio/fields — an account to value: credentials or mock data, and a condition.
 */
import { z } from 'zod';
import { conditionField, nonEmpty } from '../../config/fields.js';
import type { ModeBuildContext, RawMonitor } from '../../config/mode-context.js';
import { MockAccountDataError, parseMockAccountData } from '../../sources/account.js';

/** `mock_account_data` must decode; kept as written (the source decodes it again when built). */
const mockAccountData = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a JSON string or an object with balances' })
  .superRefine((data, ctx) => {
    try {
      parseMockAccountData(data);
    } catch (error) {
      if (!(error instanceof MockAccountDataError)) throw error;
      ctx.addIssue({ code: 'custom', message: `${error.message}; expected {"balances":[{"asset":"BTC","free":"1","locked":"0"}]}` });
    }
  });

export const portfolioFields = {
  portfolio_condition: conditionField().optional(),
  api_key: nonEmpty('the API key').optional(),
  api_secret: nonEmpty('the API secret').optional(),
  mock_account_data: mockAccountData.optional(),
};

/** Credentials or mock data: one of them, whole. */
export function checkPortfolioFields(monitor: RawMonitor, ctx: ModeBuildContext): void {
  if (monitor.mock_account_data !== undefined) {
    if (monitor.api_key !== undefined || monitor.api_secret !== undefined) {
      ctx.warn(ctx.at('mock_account_data'), 'mock_account_data replaces the account call; api_key and api_secret are not used');
    }
    return;
  }
  if (monitor.api_key === undefined || monitor.api_secret === undefined) {
    const missing = [monitor.api_key === undefined ? 'api_key' : null, monitor.api_secret === undefined ? 'api_secret' : null].filter(Boolean).join(' and ');
    ctx.problem(ctx.at(), `a portfolio monitor needs api_key and api_secret (missing: ${missing}), or mock_account_data for testing`);
  }
}
