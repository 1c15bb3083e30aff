/**
 * @module modes/portfolio/fields — an account to value (spot or futures): credentials or
 * mock data, and a condition.
 */
import { z } from 'zod';
import { checkCredentialFields, credentialFields } from '../../config/credentials.js';
import { conditionField } from '../../config/fields.js';
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

export const ACCOUNT_KINDS = ['spot', 'futures'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const portfolioFields = {
  portfolio_condition: conditionField().optional(),
  account: z.enum(ACCOUNT_KINDS, { error: 'must be spot (the default: balances valued at spot prices) or futures (the margin balance)' }).optional(),
  ...credentialFields,
  mock_account_data: mockAccountData.optional(),
};

const CREDENTIAL_FIELDS = ['api_key', 'api_secret', 'signer', 'private_key', 'user'];

/** Credentials or mock data: one of them, whole. */
export function checkPortfolioFields(monitor: RawMonitor, ctx: ModeBuildContext): void {
  if (monitor.mock_account_data !== undefined) {
    if (monitor.account === 'futures') {
      ctx.problem(
        ctx.at('mock_account_data'),
        'mock_account_data holds spot balances; it cannot stand in for a futures account (remove it, or account: futures)',
        {
          at: 'key',
        },
      );
    }
    const given = CREDENTIAL_FIELDS.filter((f) => monitor[f] !== undefined);
    if (given.length > 0) ctx.warn(ctx.at('mock_account_data'), `mock_account_data replaces the account call; ${given.join(', ')} not used`);
    return;
  }
  checkCredentialFields(monitor, ctx, 'a portfolio monitor', 'mock_account_data for testing');
}
