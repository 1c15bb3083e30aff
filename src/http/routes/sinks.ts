/**
 * @module http/routes/sinks — GET /api/sinks (names and types, never settings: they hold
 * secrets) and POST /api/sinks/:name/test (a test event now; the dashboard's button).
 */
import type { FastifyInstance } from 'fastify';
import { SEVERITY } from '../../condition/index.js';
import type { HttpContext } from '../context.js';

const labelOf = (value: number) => (Object.entries(SEVERITY).find(([, s]) => s.value === value)?.[0] as string | undefined) ?? null;

export function sinkRoutes(app: FastifyInstance, { view }: HttpContext): void {
  app.get('/api/sinks', async () => ({
    sinks: view.sinkList().map((s) => ({ name: s.name, type: s.type, min_severity: s.minSeverity === 0 ? null : labelOf(s.minSeverity) })),
  }));

  // A write: the token when one is set, and never from another site's page (see auth.ts).
  app.post('/api/sinks/:name/test', async (request, reply) => {
    const { name } = request.params as { name: string };
    const outcome = await view.testSink(name);
    if (outcome === null) return reply.code(404).send({ error: 'not_found', message: `no sink named ${JSON.stringify(name)}` });
    const body = { sink: outcome.sink, type: outcome.type, delivered: outcome.delivered, error: outcome.error, event_id: outcome.eventId, ms: outcome.ms };
    return reply.code(outcome.delivered ? 200 : 502).send(body);
  });
}
