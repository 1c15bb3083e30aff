/**
 * @module modes/portfolio/settings — what a portfolio monitor's configuration builds into.
 */
import { compileCondition, type CompiledCondition } from '../../condition/index.js';
import { buildCredentials } from '../../config/credentials.js';
import type { Credentials } from '../../exchange/index.js';
import type { AccountKind } from './fields.js';

export const DEFAULT_PORTFOLIO_CONDITION = '>> 5%';

export interface PortfolioSettings {
  condition: CompiledCondition;
  /** Which account is valued: spot balances at spot prices, or a futures account's margin balance. */
  account: AccountKind;
  /** Null when mock data is used. */
  credentials: Credentials | null;
  /** `mock_account_data` as written (a JSON string or a mapping), or null for the live account. */
  mockAccountData: unknown;
}

interface ParsedFields {
  portfolio_condition?: CompiledCondition;
  account?: AccountKind;
  api_key?: string;
  api_secret?: string;
  signer?: string;
  private_key?: string;
  user?: string;
  mock_account_data?: unknown;
}

export function buildPortfolioSettings(fields: ParsedFields): PortfolioSettings {
  const mock = fields.mock_account_data !== undefined;
  return {
    condition: fields.portfolio_condition ?? compileCondition(DEFAULT_PORTFOLIO_CONDITION),
    account: fields.account ?? 'spot',
    credentials: mock ? null : buildCredentials(fields),
    mockAccountData: mock ? fields.mock_account_data : null,
  };
}
