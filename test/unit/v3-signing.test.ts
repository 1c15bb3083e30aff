/**
 * V3 API wallets (aster-accounts.md §2): the spec's test vector, a private key nobody can
 * read back out of the wallet object, and nonces strictly increasing per signer.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addressOfPrivateKey, ApiWallet, ApiWalletError, signingHash } from '../../src/exchange/index.js';
import { nextNonce } from '../../src/exchange/nonce.js';
import { REDACTED_PATHS } from '../../src/log/logger.js';

const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
const SIGNER = '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';
const MSG = 'nonce=1748310859508867&signer=0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';

describe('the spec’s test vector', () => {
  it('hashes the message as EIP-712 typed data under Aster’s domain', () => {
    expect(signingHash(MSG)).toBe('0xd5181d2f501c0a68c31516a89d610155f8dcd0a837ec4d7d629a36bc46ca4c83');
  });

  it('signs it to the documented 65-byte signature', async () => {
    const wallet = new ApiWallet({ signer: SIGNER, privateKey: KEY });
    expect(await wallet.signMessage(MSG)).toBe(
      '0xcd0ea4d53d67b3aa39bb62a85fbd4b819f83f745a6eb30c6dfd31991b7b9f00a359d9be3656c8c0860e71e2416f0c06b89d7f64e291f0d7ebe71f7fb76a144c11b',
    );
  });

  it('derives the signer from the key (the check configuration validation makes)', () => {
    expect(addressOfPrivateKey(KEY)).toBe(SIGNER);
    expect(addressOfPrivateKey(`0x${'0'.repeat(64)}`)).toBeNull(); // not a valid secp256k1 key
    expect(addressOfPrivateKey('0x1234')).toBeNull();
  });
});

describe('an API wallet keeps its key to itself', () => {
  const wallet = new ApiWallet({ signer: SIGNER, privateKey: KEY, user: '0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e' });
  const bare = KEY.slice(2);

  it('is not in JSON, util.inspect, a spread copy or its own keys', () => {
    for (const text of [JSON.stringify(wallet), inspect(wallet, { depth: 5, showHidden: true }), JSON.stringify({ ...wallet }), Object.keys(wallet).join()]) {
      expect(text.toLowerCase()).not.toContain(bare);
    }
    expect(JSON.parse(JSON.stringify(wallet))).toEqual({ signer: SIGNER, user: '0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e' });
  });

  it('refuses a key that is not the signer’s, without the key in the message', () => {
    const other = `0x${'1'.repeat(64)}`;
    let error: unknown;
    try {
      new ApiWallet({ signer: SIGNER, privateKey: other });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiWalletError);
    expect((error as Error).message).toMatch(/^private_key belongs to 0x[0-9a-fA-F]{40}, not to the signer 0x21cF8/);
    expect((error as Error).message).not.toContain('1111111111111111');
    expect(() => new ApiWallet({ signer: SIGNER, privateKey: 'not a key' })).toThrow(/^private_key must be 0x followed by 64 hex digits/);
    expect(() => new ApiWallet({ signer: 'alice', privateKey: KEY })).toThrow(/^signer must be an address/);
  });

  it('is also caught by the logger’s redaction paths, should a key ever be logged under its name', () => {
    expect(REDACTED_PATHS).toEqual(expect.arrayContaining(['private_key', 'privateKey', '*.private_key', '*.privateKey']));
  });
});

describe('nonces', () => {
  it('are the time in microseconds, strictly increasing per signer even within one millisecond', () => {
    const signer = '0x00000000000000000000000000000000000000a1';
    const first = nextNonce(signer, 1_748_310_859_508);
    expect(first).toBe(1_748_310_859_508_000);
    expect(nextNonce(signer, 1_748_310_859_508)).toBe(first + 1);
    expect(nextNonce(signer.toUpperCase().replace('0X', '0x'), 1_748_310_859_508)).toBe(first + 2); // one signer, whatever its case
    expect(nextNonce(signer, 1_748_310_859_509)).toBe(1_748_310_859_509_000);
    // A clock stepping back a little never gives a nonce already used.
    expect(nextNonce(signer, 1_748_310_859_000)).toBe(1_748_310_859_509_001);
    // 5 s back: still counting on (a nonce 5 s ahead was inside the exchange's window, and accepted).
    expect(nextNonce(signer, 1_748_310_854_509)).toBe(1_748_310_859_509_002);
    // More than the exchange's 10 s window back (a resync found the offset that wrong): counting
    // on would stay outside the window, so the sequence restarts from the clock.
    expect(nextNonce(signer, 1_748_310_849_508)).toBe(1_748_310_849_508_000);
    expect(nextNonce(signer, 1_748_310_849_508)).toBe(1_748_310_849_508_001);
    // Another signer has its own sequence.
    expect(nextNonce('0x00000000000000000000000000000000000000b2', 1_748_310_859_000)).toBe(1_748_310_859_000_000);
  });

  it('stay strictly increasing over many requests in a burst', () => {
    const signer = '0x00000000000000000000000000000000000000c3';
    let last = 0;
    for (let i = 0; i < 10_000; i++) {
      const nonce = nextNonce(signer, 1_800_000_000_000 + Math.floor(i / 1000));
      expect(nonce).toBeGreaterThan(last);
      last = nonce;
    }
  });
});
