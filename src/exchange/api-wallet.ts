/**
 * @module exchange/api-wallet — a V3 API wallet: its addresses, and signing with its private key.
 *
 * The private key lives in an ECMAScript private field: it is not an own enumerable
 * property, so neither JSON.stringify, util.inspect, a logger nor a spread copies it.
 * The cryptography (keccak, secp256k1, EIP-712) is viem's, never hand-written.
 */
import { createRequire } from 'node:module';
import type { Hex } from 'viem';
import type * as ViemAccountsModule from 'viem/accounts';
import type * as ViemUtilsModule from 'viem/utils';

type ViemUtils = typeof ViemUtilsModule;
type ViemAccounts = typeof ViemAccountsModule;

/**
 * viem, loaded on first use: it costs ~0.2 s and ~15 MB at start, which every command
 * would pay (a 10,000-monitor `check` without a single API wallet included). Loaded
 * synchronously (its CommonJS build), because configuration validation — synchronous —
 * derives a key's address. Only the two entry points used are loaded.
 */
const load = createRequire(import.meta.url);
let viem: { hashTypedData: ViemUtils['hashTypedData']; privateKeyToAddress: ViemAccounts['privateKeyToAddress']; sign: ViemAccounts['sign'] } | null = null;
function cryptography() {
  if (viem === null) {
    const utils = load('viem/utils') as ViemUtils;
    const accounts = load('viem/accounts') as ViemAccounts;
    viem = { hashTypedData: utils.hashTypedData, privateKeyToAddress: accounts.privateKeyToAddress, sign: accounts.sign };
  }
  return viem;
}

/** The EIP-712 domain Aster signs under (aster-accounts.md §2). */
export const ASTER_SIGNING_DOMAIN = {
  name: 'AsterSignTransaction',
  version: '1',
  chainId: 1666,
  verifyingContract: '0x0000000000000000000000000000000000000000',
} as const;

export const ASTER_SIGNING_TYPES = { Message: [{ name: 'msg', type: 'string' }] } as const;

/** The EIP-712 hash of one request's parameter string. */
export function signingHash(msg: string): Hex {
  return cryptography().hashTypedData({ domain: ASTER_SIGNING_DOMAIN, types: ASTER_SIGNING_TYPES, primaryType: 'Message', message: { msg } });
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Whether `value` is written as a private key: 0x and 64 hex digits (32 bytes). */
export function isPrivateKeyText(value: string): boolean {
  return PRIVATE_KEY.test(value);
}

/** Whether `value` is written as an address: 0x and 40 hex digits. */
export function isAddressText(value: string): boolean {
  return ADDRESS.test(value);
}

/**
 * The address a private key signs as, or null when the key is not a valid secp256k1 key
 * (zero, or not below the curve order). Never throws with the key in a message.
 */
export function addressOfPrivateKey(privateKey: string): string | null {
  if (!isPrivateKeyText(privateKey)) return null;
  try {
    return cryptography().privateKeyToAddress(privateKey as Hex);
  } catch {
    return null;
  }
}

/** The API wallet could not be built; the message never contains the key. */
export class ApiWalletError extends Error {}

export class ApiWallet {
  /** The API wallet's address, as configured. */
  readonly signer: string;
  /** The main wallet the API wallet acts for, when configured. */
  readonly user: string | null;
  readonly #privateKey: Hex;

  constructor(options: { signer: string; privateKey: string; user?: string | null }) {
    if (!isAddressText(options.signer)) throw new ApiWalletError('signer must be an address: 0x followed by 40 hex digits');
    if (options.user !== undefined && options.user !== null && !isAddressText(options.user))
      throw new ApiWalletError('user must be an address: 0x followed by 40 hex digits');
    const address = addressOfPrivateKey(options.privateKey);
    if (address === null) throw new ApiWalletError('private_key must be 0x followed by 64 hex digits (32 bytes) of a valid secp256k1 key');
    if (address.toLowerCase() !== options.signer.toLowerCase()) {
      throw new ApiWalletError(`private_key belongs to ${address}, not to the signer ${options.signer}`);
    }
    this.signer = options.signer;
    this.user = options.user ?? null;
    this.#privateKey = options.privateKey as Hex;
  }

  /** The 65-byte signature (0x hex) of the EIP-712 message `{msg}`. */
  async signMessage(msg: string): Promise<string> {
    return cryptography().sign({ hash: signingHash(msg), privateKey: this.#privateKey, to: 'hex' });
  }

  /** Never the key: what a log or an error shows if this object reaches one. */
  toJSON(): { signer: string; user: string | null } {
    return { signer: this.signer, user: this.user };
  }
}
