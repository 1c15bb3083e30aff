/**
 * @module http/auth — the optional bearer token (HTTP_TOKEN) and the loopback rule.
 *
 * Browsers cannot set headers on an EventSource or a page load, so the token is also
 * accepted as `?access_token=`. `/healthz` is always open.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AsterwatchError } from '../errors.js';

export const OPEN_PATHS = new Set(['/healthz']);

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export class HttpConfigError extends AsterwatchError {
  constructor(message: string) {
    super('CONFIG_HTTP', message);
  }
}

/** Throws when the surface would be exposed beyond this machine without a token. */
export function assertSafeBinding(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token === '')) {
    throw new HttpConfigError(`refusing to serve HTTP on ${host} without a token: set HTTP_TOKEN, or bind to 127.0.0.1 (the default)`);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fastify onRequest hook enforcing the token on every path but the open ones. */
export function tokenGuard(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path)) return;
    const header = request.headers.authorization;
    const fromHeader = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const fromQuery = (request.query as Record<string, unknown> | undefined)?.access_token;
    const given = fromHeader ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
    if (given === undefined || !sameSecret(given, token)) {
      await reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'send Authorization: Bearer <HTTP_TOKEN> (or ?access_token=)' });
    }
  };
}
