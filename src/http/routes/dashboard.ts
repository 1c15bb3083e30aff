/**
 * @module http/routes/dashboard — the single-page dashboard (page, script, style), and the
 * session cookie its event stream rides on.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { presentedToken, SESSION_COOKIE, sessionValue } from '../auth.js';

/** The files ship beside this module (copied to dist/ by the build). */
const STATIC = new URL('../dashboard/static/', import.meta.url);

const FILES: ReadonlyArray<readonly [string, string, string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/dashboard.js', 'dashboard.js', 'text/javascript; charset=utf-8'],
  ['/dashboard.css', 'dashboard.css', 'text/css; charset=utf-8'],
  ['/liquidations.js', 'liquidations.js', 'text/javascript; charset=utf-8'],
];

export function dashboardRoutes(app: FastifyInstance, options: { token?: string }): void {
  for (const [path, file, type] of FILES) {
    const body = readFileSync(new URL(file, STATIC), 'utf8');
    app.get(path, async (_request, reply) => reply.header('Content-Type', type).header('Cache-Control', 'no-cache').send(body));
  }
  // Reached only with the token (the guard checks it): the cookie lets the page's EventSource
  // in without the token in its URL. HttpOnly: the page's script cannot read it back.
  app.post('/api/session', async (request, reply) => {
    const token = presentedToken(request);
    if (options.token === undefined || options.token === '' || token === undefined) return reply.code(204).send();
    return reply
      .header('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(options.token)}; HttpOnly; SameSite=Strict; Path=/`)
      .code(204)
      .send();
  });
}
