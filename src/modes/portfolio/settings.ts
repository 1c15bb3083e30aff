/**
 * @module modes/portfolio/settings — what a portfolio monitor's configuration builds into.
 */
import { compileCondition, type CompiledCondition } from '../../condition/index.js';
import type { Credentials } from '../../exchange/index.js';

export const DEFAULT_PORTFOLIO_CONDITION = '>> 5%';

export interface PortfolioSettings {
  condition: CompiledCondition;
  /** Null when mock data is used. */
  credentials: Credentials | null;
  /** `mock_account_data` as written (a JSON string or a mapping), or null for the live account. */
  mockAccountData: unknown;
}

interface ParsedFields {
  portfolio_condition?: CompiledCondition;
  api_key?: string;
  api_secret?: string;
  mock_account_data?: unknown;
}

export function buildPortfolioSettings(fields: ParsedFields): PortfolioSettings {
  const mock = fields.mock_account_data !== undefined;
  return {
    condition: fields.portfolio_condition ?? compileCondition(DEFAULT_PORTFOLIO_CONDITION),
    credentials: !mock && fields.api_key !== undefined && fields.api_secret !== undefined ? { apiKey: fields.api_key, apiSecret: fields.api_secret } : null,
    mockAccountData: mock ? fields.mock_account_data : null,
  };
}
