/**
 * @module events — CloudEvents raised by monitors, and their formatting.
 */
export * from './cloudevent.js';
export { formatUsd, formatSignedUsd, formatSignedPercent, roundPercent } from './format.js';
export { changeBetween, type Change } from './change.js';
