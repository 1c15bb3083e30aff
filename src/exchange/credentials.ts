/**
 * @module exchange/credentials — the two ways an account signs its requests (aster-accounts.md §1).
 *
 * V1 is an HMAC key pair (legacy: Aster stopped issuing them on 2026-03-25); V3 is an
 * API wallet, a signer address whose private key signs EIP-712 typed data. Neither is
 * ever logged, put in an error, an event or an answer of the API.
 */
import { createHash } from 'node:crypto';
import { ApiWallet } from './api-wallet.js';

/** A V1 (HMAC) key pair. */
export interface HmacCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** What signs an account's requests: a V1 key pair or a V3 API wallet. */
export type Credentials = HmacCredentials | ApiWallet;

export function isApiWallet(credentials: Credentials): credentials is ApiWallet {
  return credentials instanceof ApiWallet;
}

/** `v1` or `v3`, for endpoint choice and messages. */
export function credentialKind(credentials: Credentials): 'v1' | 'v3' {
  return isApiWallet(credentials) ? 'v3' : 'v1';
}

/**
 * Identifies what signs without carrying any part of a secret: monitors signing alike share
 * one request per round, and recorded values are kept under it across restarts. A V3 key
 * is the signer and the user together: two API wallets of one main wallet are two keys, so a
 * revoked wallet fails its own monitors, never those of another wallet that shares its reads.
 */
export function accountKeyOf(credentials: Credentials): string {
  const identity = isApiWallet(credentials) ? `v3:${credentials.signer.toLowerCase()}:${(credentials.user ?? '').toLowerCase()}` : `v1:${credentials.apiKey}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}
