/**
 * @module exchange — the Aster spot REST client.
 */
export * from './api.js';
export { AsterClient, DEFAULT_BASE_URL, type ClientOptions, type ClientStats, type Credentials, type RequestSpec } from './client.js';
export { systemClock, type Clock } from './clock.js';
export * from './errors.js';
export { signPayload, signedQuery } from './sign.js';
export { WeightBudget, DEFAULT_WEIGHT_LIMIT } from './rate-limit.js';
export { Decoder } from './decode.js';
export { ExchangeClosedError } from './closing.js';
export { asterFuturesClient, DEFAULT_FUTURES_URLS, fetchFuturesSymbols, futuresUrlOf } from './futures-markets.js';
export { accountKeyOf, credentialKind, isApiWallet, type HmacCredentials } from './credentials.js';
export { ApiWallet, ApiWalletError, addressOfPrivateKey, isAddressText, isPrivateKeyText, signingHash } from './api-wallet.js';
export { decodeOpenPositions, fetchFuturesAccount, fetchOpenPositions, type FuturesAccount, type Position, type PositionSide } from './futures-account.js';
export { fetchKlines, KLINE_INTERVALS, KLINES_MAX_LIMIT, type Kline } from './klines.js';
