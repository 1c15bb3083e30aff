/**
 * @module http/routes/events — GET /api/events (paginated history) and /api/events/stream (SSE).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StoredEvent } from '../../store/index.js';
import type { HttpContext } from '../context.js';
import { EventFollower } from '../event-follower.js';

const MAX_LIMIT = 500;

interface EventsQuery {
  monitor?: string;
  since?: string;
  limit?: string;
  before?: string;
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: 'bad_request', message });
}

/** `since` as an ISO time or milliseconds since the epoch. */
function parseSince(raw: string): number | null {
  const asNumber = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(asNumber)) return asNumber;
  const asDate = Date.parse(raw);
  return Number.isFinite(asDate) ? asDate : null;
}

export function eventRoutes(app: FastifyInstance, { view, tail, streams }: HttpContext): void {
  app.get('/api/events', async (request, reply) => {
    const query = request.query as EventsQuery;
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return badRequest(reply, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
    const since = query.since === undefined ? undefined : parseSince(query.since);
    if (since === null) return badRequest(reply, 'since must be an ISO-8601 time or milliseconds since the epoch');
    const before = query.before === undefined ? undefined : Number(query.before);
    if (before !== undefined && !Number.isInteger(before)) return badRequest(reply, 'before must be the next_before cursor of a previous page');
    const rows = await view.events.recent({
      limit: limit + 1,
      ...(query.monitor === undefined ? {} : { monitor: query.monitor }),
      ...(since === undefined ? {} : { since }),
      ...(before === undefined ? {} : { before }),
    });
    const page = rows.slice(0, limit);
    const nextBefore = rows.length > limit ? page[page.length - 1]!.seq : null;
    return { events: page.map((row) => row.event), next_before: nextBefore };
  });

  app.get('/api/events/stream', async (request, reply) => {
    const query = request.query as { monitor?: string; last_event_id?: string };
    const given = Number(request.headers['last-event-id'] ?? query.last_event_id ?? NaN);
    const matches = (row: StoredEvent) => query.monitor === undefined || row.event.data.monitor === query.monitor;
    await tail.init();
    // Without an id, or with one this database never gave (another database, a reset): live events only.
    const newest = await view.events.lastSeq();
    const from = Number.isInteger(given) && given >= 0 && given <= newest ? given : tail.position;
    const writer = streams.start(request, reply);
    if (writer === null) return;
    new EventFollower(view.events, tail, writer, matches, from).start();
  });
}
