/**
 * @module exchange/sign — HMAC-SHA256 request signing (aster-api.md "Signed requests").
 */
import { createHmac } from 'node:crypto';

/** Lowercase hex HMAC-SHA256 of the total parameter string, keyed with the API secret. */
export function signPayload(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Query string for a signed request: the parameters, then `signature` last. */
export function signedQuery(params: Record<string, string | number>, secret: string): string {
  const payload = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return `${payload}&signature=${signPayload(payload, secret)}`;
}
