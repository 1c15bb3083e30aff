/**
 * @module exchange/base-url — where the exchange is, checked once, when the client is made.
 *
 * A malformed ASTER_BASE_URL is a configuration mistake: it is reported at start with
 * what to write, instead of surfacing as network errors retried on every request.
 */
import { ConfigBaseUrlError } from './errors.js';

export const DEFAULT_BASE_URL = 'https://sapi.asterdex.com';

/** `configured` (the option or ASTER_BASE_URL) or the default, without trailing slashes; http(s) only. */
export function resolveBaseUrl(configured: string | undefined, fallback = DEFAULT_BASE_URL, variable = 'ASTER_BASE_URL'): string {
  const value = configured ?? fallback;
  if (!isHttpUrl(value)) throw new ConfigBaseUrlError(value, fallback, variable);
  return value.replace(/\/+$/, '');
}

function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // Endpoint paths are appended to the base, so a query or fragment in it would swallow them.
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !value.includes('?') && !value.includes('#');
}
