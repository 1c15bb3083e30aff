/**
 * @module config/fields — field schemas shared by the configuration and the modes.
 *
 * Meaning that can be checked on one field is checked in its schema (a condition is
 * compiled; a schedule is checked in cadence.ts), so every problem of a file is found in one pass.
 */
import { z } from 'zod';
import { caretLine, compileCondition, ConditionSyntaxError, type CompiledCondition } from '../condition/index.js';
import { quoteCondition } from '../condition/errors.js';

/** A non-empty string, trimmed. */
export const nonEmpty = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: `must not be empty` });

/** What a condition problem carries for the loader: the caret line and the column inside the value. */
export interface ConditionIssueParams {
  detail: string;
  columnInValue: number;
}

/** A condition in the language, compiled; a syntax error is reported at its column with a caret. */
export function conditionField(example = '>> 5%'): z.ZodType<CompiledCondition, string> {
  return z.string({ error: `must be a condition such as "${example}" (quote it)` }).transform((text, ctx) => {
    try {
      return compileCondition(text);
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      const params: ConditionIssueParams = { detail: caretLine(text, error.column), columnInValue: error.column };
      ctx.addIssue({ code: 'custom', message: `condition ${quoteCondition(text, error.column)}: column ${error.column}: ${error.reason}`, params });
      return z.NEVER;
    }
  }) as unknown as z.ZodType<CompiledCondition, string>;
}

/** A futures symbol such as BTCUSDT, upper-cased (liquidation and positions monitors). */
export const futuresSymbolField = () =>
  z
    .string({ error: 'must be a futures symbol such as BTCUSDT' })
    .trim()
    .regex(/^[A-Za-z0-9]{2,30}$/, { error: 'must be a futures symbol such as BTCUSDT (letters and digits)' })
    .transform((symbol) => symbol.toUpperCase());
