import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { eventId, formatSignedPercent, formatSignedUsd, formatUsd, type CheckContext } from '../../src/events/index.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { portfolioEvent } from '../../src/modes/portfolio/index.js';

const context: CheckContext = {
  monitor: 'treasury desk',
  condition: '>> 5%',
  severity: SEVERITY.high,
  roundTime: Date.UTC(2026, 10, 21, 12, 5),
  checkedAt: new Date(Date.UTC(2026, 10, 21, 12, 5, 0, 120)),
};

describe('money and percent formatting', () => {
  it.each([
    [1234567.891, '$1,234,567.89'],
    [0, '$0.00'],
    [0.004, '$0.00'],
    [-980.1, '-$980.10'],
    [-0.001, '$0.00'],
    [1e15, '$1,000,000,000,000,000.00'],
  ])('formatUsd(%d) is %s', (value, text) => expect(formatUsd(value)).toBe(text));

  it.each([
    [12345, '+$12,345.00'],
    [-980.1, '-$980.10'],
    [0, '$0.00'],
    [-0.004, '$0.00'],
  ])('formatSignedUsd(%d) is %s', (value, text) => expect(formatSignedUsd(value)).toBe(text));

  it.each([
    [5.2345, '+5.23%'],
    [-3.42, '-3.42%'],
    [0, '0.00%'],
    [0.001, '0.00%'],
  ])('formatSignedPercent(%d) is %s', (value, text) => expect(formatSignedPercent(value)).toBe(text));

  it('refuses to format NaN or Infinity', () => {
    expect(() => formatUsd(Number.NaN)).toThrow(RangeError);
    expect(() => formatSignedPercent(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('event ids', () => {
  it('are the same for the same monitor, subject and round, and differ otherwise', () => {
    const id = eventId('m', 'BTC', 1000);
    expect(eventId('m', 'BTC', 1000)).toBe(id);
    expect(eventId('m', 'ETH', 1000)).not.toBe(id);
    expect(eventId('m', 'BTC', 1001)).not.toBe(id);
    expect(eventId('m2', 'BTC', 1000)).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  // Ids are a contract with receivers across versions: these were produced by the first
  // release, and any change of namespace, separator or input order breaks them.
  it.each([
    ['m', 'BTC', 1000, '9b5b912d-7012-5bb7-97d6-9dbe01c56962'],
    ['treasury desk', 'portfolio', Date.UTC(2026, 10, 21, 12, 5), '69318368-4c47-587b-9cb3-a10e6fd9d88d'],
    ['majors', 'ETH', 1_700_000_000_000, '93925872-6d3a-5233-b5f4-b5d67c350e43'],
    ['日本 monitor', 'portfolio', 0, 'e7bc811e-2c90-51c7-a5e6-08833a14b0db'],
  ])('of (%s, %s, %d) are the golden %s', (monitor, subject, roundTime, golden) => {
    expect(eventId(monitor, subject, roundTime)).toBe(golden);
  });

  it('take a discriminator that tells apart two events of one subject in one batch, without changing the ids without one', () => {
    expect(eventId('m', 'BTC', 1000, 'liq-1')).not.toBe(eventId('m', 'BTC', 1000, 'liq-2'));
    expect(eventId('m', 'BTC', 1000, 'liq-1')).not.toBe('9b5b912d-7012-5bb7-97d6-9dbe01c56962');
    expect(eventId('liq', 'BTCUSDT', 1_763_812_800_000, 'resolved')).toBe('aca0d896-9d0a-5de8-951c-f705f21170c9');
  });

  it('are the UUIDv5 of the name, bit for bit, for any monitor, subject, round and discriminator', () => {
    // The definition, written plainly over the digest's bytes (the implementation builds the
    // same string from the hex digest, without a Buffer per id).
    const reference = (monitor: string, subject: string, roundTime: number, discriminator?: string) => {
      const tail = discriminator === undefined ? '' : `\u0000${discriminator}`;
      const hash = createHash('sha1').update(`asterwatch/condition_met/v1\u0000${monitor}\u0000${subject}\u0000${roundTime}${tail}`).digest();
      hash[6] = (hash[6]! & 0x0f) | 0x50;
      hash[8] = (hash[8]! & 0x3f) | 0x80;
      const hex = hash.subarray(0, 16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    };
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.option(fc.string(), { nil: undefined }), (m, s, t, d) => {
        expect(eventId(m, s, t, d)).toBe(reference(m, s, t, d));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});

describe('asterex.portfolio.condition_met', () => {
  it('carries the envelope and the formatted and plain values', () => {
    const event = portfolioEvent(context, { current: 1_060_000, previous: 1_000_000, skippedAssets: ['FOO'] });
    expect(event).toEqual({
      specversion: '1.0',
      id: '69318368-4c47-587b-9cb3-a10e6fd9d88d',
      source: 'asterwatch/monitors/treasury%20desk',
      type: 'asterex.portfolio.condition_met',
      subject: 'portfolio',
      time: '2026-11-21T12:05:00.120Z',
      datacontenttype: 'application/json',
      data: {
        current_value: '$1,060,000.00',
        condition: '>> 5%',
        previous_value: '$1,000,000.00',
        change_amount: '+$60,000.00',
        change_percent: '+6.00%',
        values: { current_value: 1_060_000, previous_value: 1_000_000, change_amount: 60_000, change_percent: 6 },
        skipped_assets: ['FOO'],
        account: 'spot',
        monitor: 'treasury desk',
        severity: 0.5,
        severity_label: 'high',
      },
    });
  });

  it('writes unknown quantities as null, never NaN', () => {
    const event = portfolioEvent(context, { current: 10, previous: null, skippedAssets: [] });
    expect(event.data.previous_value).toBeNull();
    expect(event.data.change_amount).toBeNull();
    expect(event.data.values).toEqual({ current_value: 10, previous_value: null, change_amount: null, change_percent: null });
    const fromZero = portfolioEvent(context, { current: 10, previous: 0, skippedAssets: [] });
    expect(fromZero.data.change_amount).toBe('+$10.00');
    expect(fromZero.data.change_percent).toBeNull();
    expect(JSON.stringify(fromZero)).not.toMatch(/NaN|Infinity/);
  });

  it('refuses a non-finite portfolio value', () => {
    expect(() => portfolioEvent(context, { current: Number.NaN, previous: 1, skippedAssets: [] })).toThrow(RangeError);
  });
});

describe('asterex.market.condition_met', () => {
  it('carries the prices as plain numbers and the percentage rounded to 4 decimals', () => {
    const event = marketEvent({ ...context, monitor: 'majors', condition: '> 5%' }, { asset: 'ETH', symbol: 'ETHUSDT', current: 3300, previous: 3000.3 });
    expect(event.type).toBe('asterex.market.condition_met');
    expect(event.subject).toBe('ETH');
    expect(event.data).toEqual({
      asset: 'ETH',
      symbol: 'ETHUSDT',
      current_price: 3300,
      previous_price: 3000.3,
      price_change: 9.989,
      price_change_amount: 3300 - 3000.3,
      condition: '> 5%',
      monitor: 'majors',
      severity: 0.5,
      severity_label: 'high',
    });
  });

  it('has null change fields without a previous price', () => {
    const event = marketEvent(context, { asset: 'BTC', symbol: 'BTCUSDT', current: 64000, previous: null });
    expect(event.data.previous_price).toBeNull();
    expect(event.data.price_change).toBeNull();
    expect(event.data.price_change_amount).toBeNull();
  });
});

describe('event times', () => {
  it("are each event's own check time, whatever the order events of different times are built in", () => {
    const at = (iso: string) => marketEvent({ ...context, checkedAt: new Date(iso) }, { asset: 'BTC', symbol: 'BTCUSDT', current: 2, previous: 1 }).time;
    expect(at('2026-11-22T12:00:00.000Z')).toBe('2026-11-22T12:00:00.000Z');
    expect(at('2026-11-22T12:00:00.000Z')).toBe('2026-11-22T12:00:00.000Z');
    expect(at('2026-11-22T12:01:00.250Z')).toBe('2026-11-22T12:01:00.250Z');
    expect(at('2026-11-22T12:00:00.000Z')).toBe('2026-11-22T12:00:00.000Z');
    expect(() => at('not a date')).toThrow(RangeError);
  });
});
