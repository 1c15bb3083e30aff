/**
 * A positions monitor's test wallet and an open position, shared by the tests of the
 * positions mode and of the round that runs it.
 */
import type { Position } from '../../src/exchange/index.js';

/** A throwaway API wallet: its private key and the signer address derived from it. */
export const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
export const SIGNER = '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';
export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

/** A one-way long of 0.5 BTC, its liquidation price 4.2 % below the mark; `over` changes any field. */
export const position = (over: Partial<Position> = {}): Position => ({
  symbol: 'BTCUSDT',
  positionAmt: 0.5,
  entryPrice: 60000,
  markPrice: 61000,
  liquidationPrice: 58437.6,
  unRealizedProfit: 500,
  leverage: 20,
  marginType: 'isolated',
  positionSide: 'BOTH',
  ...over,
});
