/**
 * @module sources — what a round reads: prices, 24 h baseline, accounts (time-aware needs).
 */
export * from './need.js';
export * from './prices.js';
export * from './baseline.js';
export * from './account.js';
export * from './symbols.js';
export * from './catalog.js';
export * from './listed-symbols.js';
export * from './futures.js';
