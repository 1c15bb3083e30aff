/**
 * @module events — the CloudEvents envelope, event ids, and money/percent formatting.
 */
export * from './envelope.js';
export { formatUsd, formatSignedUsd, formatSignedPercent, roundPercent } from './format.js';
export { changeBetween, type Change } from './change.js';
export { eventKind, metTypeOf, resolvedTypeOf, TEST_EVENT_TYPE, type EventKind } from './kind.js';
