/**
 * @module sources — what a round reads from the exchange: prices, 24 h baseline, accounts.
 */
export * from './prices.js';
export * from './baseline.js';
export * from './account.js';
export * from './symbols.js';
