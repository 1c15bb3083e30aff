import { describe, expect, it } from 'vitest';
import { Decoder, ExchangeMalformedResponseError } from '../../src/exchange/index.js';
import { DECIMAL_PATTERN, MAX_DECIMAL_LENGTH } from '../../src/exchange/decode.js';

const d = new Decoder('/api/v1/ticker/price');

function elapsedMs(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('decimal strings', () => {
  it.each([
    ['64000.5', 64000.5],
    ['0.00000001', 1e-8],
    ['1e-8', 1e-8],
    ['1.5E3', 1500],
    ['.5', 0.5],
    ['5.', 5],
    ['-1', -1],
    ['+2', 2],
    [7, 7],
  ])('reads %j as %s', (value, expected) => expect(d.decimal(value, 'price')).toBe(expected));

  it.each(['', ' ', '.', '1.2.3', 'e5', '1e', '1e+', 'NaN', 'Infinity', '0x10', '1_000', '--1', '1e400'])('rejects %j, naming the field', (value) => {
    expect(() => d.decimal(value, '[0].price')).toThrow(ExchangeMalformedResponseError);
    expect(() => d.decimal(value, '[0].price')).toThrow(/\[0\]\.price is .*expected a decimal number/);
  });

  // A correctness-of-complexity check, not a benchmark: the old pattern backtracked
  // quadratically (~10 s for 100,000 digits); a linear one takes milliseconds for 1,000,000.
  it('matches a 1,000,000-digit input in linear time', () => {
    const digits = '1'.repeat(1_000_000);
    expect(elapsedMs(() => expect(DECIMAL_PATTERN.test(`${digits}x`)).toBe(false))).toBeLessThan(1000);
    expect(elapsedMs(() => expect(DECIMAL_PATTERN.test(`${digits}.${digits}e`)).toBe(false))).toBeLessThan(1000);
    expect(elapsedMs(() => expect(DECIMAL_PATTERN.test(`${digits}.${digits}e+5`)).toBe(true))).toBeLessThan(1000);
  });

  it('rejects a 100,000-digit decimal at once, naming the field and the length', () => {
    let error: unknown;
    const ms = elapsedMs(() => {
      try {
        d.decimal(`${'1'.repeat(100_000)}x`, '[3].price');
      } catch (e) {
        error = e;
      }
    });
    expect(ms).toBeLessThan(1000);
    expect(error).toBeInstanceOf(ExchangeMalformedResponseError);
    expect((error as Error).message).toMatch(/\[3\]\.price is a string of 100001 characters, longer than the 64 a decimal may have/);
  });

  it(`accepts ${MAX_DECIMAL_LENGTH} characters and rejects one more, even when well formed`, () => {
    expect(MAX_DECIMAL_LENGTH).toBe(64);
    expect(d.decimal(`0.${'1'.repeat(62)}`, 'price')).toBeCloseTo(0.111, 3);
    expect(() => d.decimal('1'.repeat(65), 'price')).toThrow(/price is a string of 65 characters, longer than the 64/);
  });
});
