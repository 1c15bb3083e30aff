/**
 * @module modes/positions/fields — the fields of a positions monitor (aster-accounts.md §5), and their checks.
 */
import { z } from 'zod';
import { checkCredentialFields, credentialFields } from '../../config/credentials.js';
import { conditionField, futuresSymbolField } from '../../config/fields.js';
import type { ModeBuildContext, RawMonitor } from '../../config/mode-context.js';
import { MEASURES, type Measure } from './measure.js';

const symbolSchema = futuresSymbolField();

export const positionsFields = {
  ...credentialFields,
  measure: z
    .enum(MEASURES as unknown as [Measure, ...Measure[]], {
      error: 'must be liquidation_distance (the default: % the mark price may still move against the position), unrealized_pnl (USD) or roe (%)',
    })
    .optional(),
  condition: conditionField('<< 10').optional(),
  symbols: z
    .array(symbolSchema, { error: 'must be a list of futures symbols such as [BTCUSDT, ETHUSDT]' })
    .min(1, { error: 'must name at least one symbol (or leave symbols out: every open position)' })
    .optional(),
};

/** Credentials (no mock: positions are the account's own), each symbol once. */
export function checkPositionsFields(monitor: RawMonitor, ctx: ModeBuildContext): void {
  if (monitor.mock_account_data !== undefined) {
    ctx.problem(ctx.at('mock_account_data'), 'a positions monitor reads the account’s open positions; mock_account_data (spot balances) does not apply', {
      at: 'key',
    });
  }
  checkCredentialFields(monitor, ctx, 'a positions monitor');
  const symbols = monitor.symbols;
  if (!Array.isArray(symbols)) return;
  const seen = new Set<string>();
  symbols.forEach((symbol: unknown, i) => {
    if (typeof symbol !== 'string') return;
    const key = symbol.trim().toUpperCase();
    if (seen.has(key)) ctx.problem(ctx.at('symbols', i), `${key} is listed twice in this monitor`);
    seen.add(key);
  });
}
