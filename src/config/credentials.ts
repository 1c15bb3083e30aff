/**
 * @module config/credentials — an account's credentials in a monitor: V1 (`api_key`,
 * `api_secret`) or V3 (`signer`, `private_key`, optional `user`), exactly one kind, whole
 * (aster-accounts.md §1).
 *
 * No message ever contains a secret's value: not the key, not a part of it, not even when
 * it is malformed (a user pasting a key into the wrong field would see it in a CI log).
 */
import { z } from 'zod';
import { addressOfPrivateKey, ApiWallet, isAddressText, isPrivateKeyText, type Credentials } from '../exchange/index.js';
import { nonEmpty } from './fields.js';
import type { ModeBuildContext, RawMonitor } from './mode-context.js';

/** A YAML scalar `0x…` written without quotes is read as a number: say so, without the number. */
const UNQUOTED_HEX = 'YAML reads an unquoted 0x… value as a number: put it in quotes, or use ${VARIABLE}';

const address = (field: string, emptyMeansAbsent = false) =>
  z.unknown().transform((value, ctx) => {
    // `user: ${ASTER_USER}` with the variable declared empty in .env: not given.
    if (emptyMeansAbsent && typeof value === 'string' && value.trim() === '') return undefined;
    if (typeof value === 'number') {
      ctx.addIssue({ code: 'custom', message: `must be an address in quotes; ${UNQUOTED_HEX}` });
      return z.NEVER;
    }
    if (typeof value !== 'string' || !isAddressText(value.trim())) {
      ctx.addIssue({ code: 'custom', message: `must be an address: 0x followed by 40 hex digits (${field} of the API wallet page on asterdex.com)` });
      return z.NEVER;
    }
    return value.trim();
  });

const privateKey = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number') {
    ctx.addIssue({
      code: 'custom',
      message: `must be the API wallet's private key in quotes; ${UNQUOTED_HEX} (prefer \${ASTER_SIGNER_KEY} from the environment or .env)`,
    });
    return z.NEVER;
  }
  if (typeof value !== 'string' || !isPrivateKeyText(value.trim())) {
    // The length is safe to say and helps (a key cut short, an address pasted instead); the value is not.
    const what = typeof value === 'string' ? `a string of ${value.trim().length} characters` : `not a string`;
    ctx.addIssue({
      code: 'custom',
      message: `must be 0x followed by 64 hex digits (32 bytes), the private key shown once when the API wallet was created; got ${what} (not shown)`,
    });
    return z.NEVER;
  }
  return value.trim();
});

/** The credential fields every signed mode takes. */
export const credentialFields = {
  api_key: nonEmpty('the API key').optional(),
  api_secret: nonEmpty('the API secret').optional(),
  signer: address('signer').optional(),
  private_key: privateKey.optional(),
  user: address('user', true).optional(),
};

const V1_FIELDS = ['api_key', 'api_secret'] as const;
const V3_FIELDS = ['signer', 'private_key', 'user'] as const;

/**
 * Exactly one kind of credentials, whole; a private key that is not `signer`'s. `what`
 * names the monitor's kind in messages ("a positions monitor"); `alternative` is what else
 * would do, named in the message when nothing is given ("mock_account_data for testing").
 * Returns whether credentials were given at all.
 */
export function checkCredentialFields(monitor: RawMonitor, ctx: ModeBuildContext, what: string, alternative = ''): boolean {
  const given = (f: string) => monitor[f] !== undefined && !(f === 'user' && typeof monitor[f] === 'string' && monitor[f].trim() === '');
  const v1 = V1_FIELDS.filter(given);
  const v3 = V3_FIELDS.filter(given);
  if (v1.length > 0 && v3.length > 0) {
    ctx.problem(
      ctx.at(v3[0]!),
      `give one kind of credentials: signer and private_key of an API wallet (V3), or api_key and api_secret (V1, legacy) — not both (found ${[...v1, ...v3].join(', ')})`,
      { at: 'key' },
    );
    return true;
  }
  if (v1.length > 0) {
    const missing = V1_FIELDS.filter((f) => monitor[f] === undefined);
    if (missing.length > 0) ctx.problem(ctx.at(), `${what} with V1 credentials needs api_key and api_secret (missing: ${missing.join(' and ')})`);
    return true;
  }
  if (v3.length > 0) {
    const missing = (['signer', 'private_key'] as const).filter((f) => !given(f));
    if (missing.length > 0) {
      ctx.problem(ctx.at(), `${what} with an API wallet (V3) needs signer and private_key (missing: ${missing.join(' and ')}); user is optional`);
      return true;
    }
    const signer = monitor.signer;
    const key = monitor.private_key;
    if (typeof signer === 'string' && typeof key === 'string' && isAddressText(signer.trim()) && isPrivateKeyText(key.trim())) {
      const owner = addressOfPrivateKey(key.trim());
      if (owner === null)
        ctx.problem(ctx.at('private_key'), 'is not a valid secp256k1 private key (zero, or not below the curve order); copy the API wallet key again');
      else if (owner.toLowerCase() !== signer.trim().toLowerCase()) {
        ctx.problem(
          ctx.at('private_key'),
          `is not the key of signer ${signer.trim()}: it signs as ${owner}. Use the private key shown with that API wallet, or set signer to ${owner}`,
        );
      }
    }
    return true;
  }
  const or = alternative === '' ? '' : `, or ${alternative}`;
  ctx.problem(ctx.at(), `${what} needs credentials: signer and private_key of an API wallet (V3), or api_key and api_secret (V1, legacy)${or}`);
  return false;
}

interface CredentialValues {
  api_key?: string;
  api_secret?: string;
  signer?: string;
  private_key?: string;
  user?: string;
}

/** The validated fields as credentials, or null when none (or not whole) were given. */
export function buildCredentials(fields: CredentialValues): Credentials | null {
  if (fields.signer !== undefined && fields.private_key !== undefined) {
    return new ApiWallet({ signer: fields.signer, privateKey: fields.private_key, user: fields.user ?? null });
  }
  if (fields.api_key !== undefined && fields.api_secret !== undefined) return { apiKey: fields.api_key, apiSecret: fields.api_secret };
  return null;
}
