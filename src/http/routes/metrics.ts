/**
 * @module http/routes/metrics — GET /metrics in the Prometheus text format.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';

export function metricsRoutes(app: FastifyInstance, { metrics }: HttpContext): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.metrics();
    return reply.header('Content-Type', metrics.contentType).send(body);
  });
}
