/**
 * @module exchange/decode — checking response bodies field by field.
 *
 * A missing or non-numeric field is an ExchangeMalformedResponseError naming the
 * field's path (`[3].price`), so a malformed response never becomes NaN or 0.
 */
import { ExchangeMalformedResponseError } from './errors.js';

/**
 * A decimal: digits with an optional fraction, or a bare fraction, then an optional
 * exponent. Each character can be matched one way only, so a failing match backtracks
 * at most once per character (linear time); the old `\d+\.?\d*` split a run of digits
 * between two quantifiers in every possible way (quadratic: ~10 s for 100,000 digits).
 */
export const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Longest decimal string accepted. The exchange sends at most ~30 characters
 * ("4723846.89208129"); a longer one is not a price, and refusing it before matching
 * keeps the cost of a hostile body proportional to its size.
 */
export const MAX_DECIMAL_LENGTH = 64;

/** A decoder bound to one endpoint, for error messages. */
export class Decoder {
  constructor(readonly endpoint: string) {}

  fail(path: string, problem: string): never {
    throw new ExchangeMalformedResponseError(this.endpoint, `${path === '' ? 'the body' : path} ${problem}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `is ${describe(value)}, expected an object`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `is ${describe(value)}, expected an array`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') this.fail(path, `is ${describe(value)}, expected a non-empty string`);
    return value;
  }

  /** A decimal given as a string (the exchange's convention) or a number; always finite. */
  decimal(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.length > MAX_DECIMAL_LENGTH) {
      this.fail(path, `is a string of ${value.length} characters, longer than the ${MAX_DECIMAL_LENGTH} a decimal may have`);
    }
    if (typeof value === 'string' && DECIMAL_PATTERN.test(value.trim())) {
      const parsed = Number(value);
      if (Number.isFinite(parsed)) return parsed;
    }
    return this.fail(path, `is ${describe(value)}, expected a decimal number`);
  }

  /** A price: a decimal above 0. No exchange quotes a free or negative price, so one is a broken row, not a value. */
  price(value: unknown, path: string): number {
    const price = this.decimal(value, path);
    if (!(price > 0)) this.fail(path, `is ${price}, expected a price above 0`);
    return price;
  }

  integer(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(path, `is ${describe(value)}, expected an integer`);
    return value;
  }
}

/** A string from a response, quoted for a message; long ones are cut so that a hostile body cannot inflate the error. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
