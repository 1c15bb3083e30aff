/**
 * @module http/auth — the optional bearer token (HTTP_TOKEN), the loopback rule, and the Host check.
 *
 * The token is accepted as `Authorization: Bearer <token>` (scheme in any case), and as
 * `?access_token=` for scripts that already use it. The dashboard trades the header for an
 * HttpOnly SameSite=Strict session cookie (`POST /api/session`; an EventSource cannot send
 * headers): its value is derived from the token, never the token itself, so a new
 * HTTP_TOKEN ends every session, and it is accepted on reads (GET, HEAD) only. It is compared in constant time through its SHA-256, so neither its content nor its
 * length leaks through timing. The dashboard's page and its static files, and `/healthz`,
 * need no token: they hold no data.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AsterwatchError } from '../errors.js';

export const OPEN_PATHS = new Set(['/healthz', '/', '/dashboard.js', '/dashboard.css', '/liquidations.js']);

/** The cookie that carries the token for the dashboard's event streams. */
export const SESSION_COOKIE = 'asterwatch_session';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The host name of a Host header (`localhost:8080`, `[::1]:8080`), lower-cased. */
export function hostOf(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
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

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time, whatever the lengths: both sides are compared as SHA-256 digests. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The session cookie's value for a token: a keyed digest, so the cookie never holds the token. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('asterwatch dashboard session v1').digest('base64url');
}

/** The token a request presents, from the header or the query. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^bearer\s+(.+)$/i.exec(header.trim());
    if (match !== null) return match[1];
  }
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.access_token;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/** True when the request holds a valid session cookie and only reads (a cookie never authorises a change). */
function hasSession(request: FastifyRequest, token: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A fastify onRequest hook enforcing the token on every path but the open ones. */
export function tokenGuard(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path)) return;
    const given = presentedToken(request);
    if (given === undefined ? !hasSession(request, token) : !sameSecret(given, token)) {
      await reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorized', message: 'send Authorization: Bearer <HTTP_TOKEN>' });
    }
  };
}

/**
 * Without a token the surface only answers on loopback — but a web page the user visits can
 * still reach 127.0.0.1 through a domain it controls (DNS rebinding). The Host header then
 * names that domain: only loopback names are answered.
 */
export function loopbackHostGuard() {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const host = hostOf(request.headers.host ?? '');
    if (!isLoopback(host))
      await reply.code(421).send({ error: 'misdirected_host', message: 'without HTTP_TOKEN this server answers only to localhost, 127.0.0.1 or [::1]' });
  };
}

/**
 * Writes (silences, test alerts) only from this server's own pages or from clients that are not
 * browsers: a browser names the page that sends a request (`Origin`, `Sec-Fetch-Site`), and a
 * page of another site is refused, so it cannot use a loopback server without a token, nor a
 * logged-in dashboard's cookie (which only reads anyway).
 */
export function sameOriginWrites() {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    let foreign = site === 'cross-site' || site === 'same-site';
    if (!foreign && typeof origin === 'string' && origin !== 'null') {
      try {
        foreign = new URL(origin).host.toLowerCase() !== (request.headers.host ?? '').toLowerCase();
      } catch {
        foreign = true;
      }
    } else if (origin === 'null') foreign = true;
    if (foreign)
      await reply.code(403).send({ error: 'forbidden', message: 'writes are accepted from this server’s own dashboard or from non-browser clients only' });
  };
}
