/**
 * @module http/routes/dashboard — GET /: the single-page dashboard, served as one static file.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The page ships beside this module (copied to dist/ by the build). */
const PAGE_URL = new URL('../dashboard/static/index.html', import.meta.url);

export function dashboardRoutes(app: FastifyInstance): void {
  const page = readFileSync(PAGE_URL, 'utf8');
  app.get('/', async (_request, reply) => reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(page));
}
