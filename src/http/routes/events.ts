/**
 * @module http/routes/events — GET /api/events (paginated history) and /api/events/stream (SSE).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StoredEvent } from '../../store/index.js';
import type { HttpContext } from '../context.js';

const MAX_LIMIT = 500;
/** A replay reads at most this many pages of missed events (retention bounds them anyway). */
const MAX_PAGES = 10_000;
/** Live events held while a replay runs; past it the client is dropped as a slow reader. */
const MAX_HELD = 50_000;

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
    const lastEventId = Number(request.headers['last-event-id'] ?? query.last_event_id ?? NaN);
    const matches = (row: StoredEvent) => query.monitor === undefined || row.event.data.monitor === query.monitor;
    await tail.init();
    const writer = streams.start(request, reply);
    if (writer === null) return;
    const send = (row: StoredEvent) => {
      if (matches(row)) writer.send(`id: ${row.seq}\nevent: condition_met\ndata: ${JSON.stringify(row.event)}\n\n`);
    };
    if (!Number.isInteger(lastEventId)) {
      writer.onClose(tail.subscribe(send));
      return;
    }
    // A reconnecting client first gets everything it missed, page by page at the pace it reads;
    // what is raised meanwhile waits (bounded) and follows, so nothing is skipped or repeated.
    const arrived: StoredEvent[] = [];
    let replaying = true;
    writer.onClose(
      tail.subscribe((row) => {
        if (!replaying) return send(row);
        arrived.push(row);
        if (arrived.length > MAX_HELD) writer.drop(); // it cannot keep up
      }),
    );
    let cursor = lastEventId;
    for (let page = 0; page < MAX_PAGES && !writer.closed; page++) {
      const rows = await view.events.after(cursor, MAX_LIMIT);
      for (const row of rows) send(row);
      if (rows.length > 0) cursor = rows[rows.length - 1]!.seq;
      if (rows.length < MAX_LIMIT || !(await writer.drained())) break;
    }
    replaying = false;
    for (const row of arrived) if (row.seq > cursor) send(row);
  });
}
