import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/net/retry-after.js';

describe('Retry-After', () => {
  it.each([
    ['7', 7000],
    ['0', 0],
    [' 12 ', 12_000],
    ['Sat, 21 Nov 2026 12:00:30 GMT', 30_000],
    ['Sat, 21 Nov 2026 11:59:00 GMT', 0],
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-3', undefined],
  ])('reads %j as %s ms', (header, ms) => expect(parseRetryAfter(header, Date.UTC(2026, 10, 21, 12, 0, 0))).toBe(ms));
});
