import { describe, expect, it } from 'vitest';
import { compactUsd, exchangePrice, liquidationLine } from '../../src/streams/liquidations/format.js';
import { assetOf, normaliseFrame } from '../../src/streams/liquidations/normalise.js';
import { MalformedFrameError } from '../../src/streams/reconnecting-stream.js';
import { frame } from '../support/liquidations.js';

describe('normalising a forceOrder frame', () => {
  it('reads the spec example: a SELL closes a long, average price and filled quantity', () => {
    const [l] = normaliseFrame(
      'aster',
      '{"e":"forceOrder","E":1568014460893,"o":{"s":"BTCUSDT","S":"SELL","o":"LIMIT","f":"IOC","q":"0.014","p":"9910","ap":"9910","X":"FILLED","l":"0.014","z":"0.014","T":1568014460893}}',
    );
    expect(l).toMatchObject({
      venue: 'aster',
      symbol: 'BTCUSDT',
      asset: 'BTC',
      side: 'long',
      price: 9910,
      priceText: '9910',
      quantity: 0.014,
      time: 1568014460893,
    });
    expect(l!.notionalUsd).toBeCloseTo(138.74, 10);
    expect(l!.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['BUY closes a short', { S: 'BUY' as const }, { side: 'short' }],
    ['ap when above 0', { p: '100', ap: '101.5' }, { price: 101.5, priceText: '101.5' }],
    ['p when ap is 0', { p: '100', ap: '0' }, { price: 100, priceText: '100' }],
    ['z when above 0', { q: '2', z: '1.5' }, { quantity: 1.5 }],
    ['q when z is 0', { q: '2', z: '0' }, { quantity: 2 }],
  ])('%s', (_name, fields, expected) => {
    const [l] = normaliseFrame('binance', frame({ s: 'ETHUSDT', S: 'SELL', q: '1', p: '3000', T: 1_700_000_000_000, ...fields }));
    expect(l).toMatchObject(expected);
  });

  it.each([
    ['BTCUSDT', 'BTC'],
    ['ETHUSDC', 'ETH'],
    ['SOLFDUSD', 'SOL'],
    ['XRPUSD1', 'XRP'],
    ['BTCUSD', 'BTC'],
    ['1000PEPEUSDT', '1000PEPE'],
  ])('takes the asset of %s as %s', (symbol, asset) => expect(assetOf(symbol)).toBe(asset));

  it('gives the same frame the same id, on any connection, and another venue another id', () => {
    const text = frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '64000', T: 1 });
    expect(normaliseFrame('aster', text)[0]!.id).toBe(normaliseFrame('aster', text)[0]!.id);
    expect(normaliseFrame('aster', text)[0]!.id).not.toBe(normaliseFrame('binance', text)[0]!.id);
    expect(normaliseFrame('aster', text)[0]!.id).not.toBe(normaliseFrame('aster', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '64000', T: 2 }))[0]!.id);
  });

  it.each([
    ['not JSON', 'hello'],
    ['not a forceOrder', '{"e":"aggTrade","o":{}}'],
    ['a missing price', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '', ap: '', T: 1 })],
    ['a zero price', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '0', ap: '0', T: 1 })],
    ['a negative quantity', frame({ s: 'BTCUSDT', S: 'SELL', q: '-1', z: '-1', p: '1', T: 1 })],
    ['a non-numeric price', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: 'abc', ap: 'abc', T: 1 })],
    ['an exponent (not how the exchange writes numbers)', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '1e309', ap: '1e309', T: 1 })],
    ['an unknown side', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '1', T: 1 }).replace('"SELL"', '"HOLD"')],
    ['no trade time', frame({ s: 'BTCUSDT', S: 'SELL', q: '1', p: '1', T: 1 }).replace('"T":1', '"T":"soon"')],
  ])('drops %s as malformed (never a NaN)', (_name, text) => {
    expect(() => normaliseFrame('aster', text)).toThrow(MalformedFrameError);
  });
});

describe('the one-line form', () => {
  it.each([
    [950, '$950'],
    [999.4, '$999'],
    [999.6, '$1k'],
    [50_000, '$50k'],
    [314_900, '$314.9k'],
    [999_960, '$1M'],
    [1_200_000, '$1.2M'],
    [2_000_000_000, '$2B'],
  ])('compacts %d as %s', (amount, text) => expect(compactUsd(amount)).toBe(text));

  it.each([
    ['4319.20', '4,319.2'],
    ['64647.00', '64,647'],
    ['0.0012340', '0.001234'],
    ['100.', '100'],
    ['1234567.5', '1,234,567.5'],
  ])('writes the exchange price %s as %s', (price, text) => expect(exchangePrice(price)).toBe(text));

  it('matches the spec examples', () => {
    expect(liquidationLine({ side: 'long', asset: 'ETH', notionalUsd: 314_900, priceText: '4319.20' })).toBe('🔴 #ETH Long Liquidation: $314.9k @ $4,319.2');
    expect(liquidationLine({ side: 'short', asset: 'BTC', notionalUsd: 1_200_000, priceText: '64647.00' })).toBe('🟢 #BTC Short Liquidation: $1.2M @ $64,647');
  });
});
