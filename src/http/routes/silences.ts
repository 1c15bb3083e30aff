/**
 * @module http/routes/silences — GET/POST /api/silences, DELETE /api/silences/:id.
 *
 * Writes need the token when one is set (the guard: a session cookie only reads); a page of
 * another site is refused (sameOriginWrites), so it cannot silence anything through a
 * loopback server without a token either.
 */
import type { FastifyInstance } from 'fastify';
import { newSilence, parseSilenceDuration, SilenceInputError, silenceJson } from '../../silences/new-silence.js';
import type { HttpContext } from '../context.js';

const BODY_LIMIT = 4096;

export function silenceRoutes(app: FastifyInstance, { view, now }: HttpContext): void {
  app.get('/api/silences', async (request) => {
    const all = (request.query as Record<string, unknown>).all;
    const at = now();
    const silences = await view.silenceStore.list(at, { includeExpired: all === 'true' || all === '1' });
    return { silences: silences.map((s) => silenceJson(s, at)) };
  });

  app.post('/api/silences', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    let body = request.body;
    // A client that sends JSON without saying so (fetch's default text/plain) is understood too.
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body) as unknown;
      } catch {
        return reply.code(400).send({ error: 'bad_request', message: 'the body must be a JSON object' });
      }
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return reply.code(400).send({ error: 'bad_request', message: 'the body must be a JSON object' });
    const fields = body as Record<string, unknown>;
    const text = (name: string) => {
      const value = fields[name];
      if (value !== undefined && value !== null && typeof value !== 'string') throw new SilenceInputError(name, `${name} must be a string`);
      return value ?? undefined;
    };
    try {
      const monitor = text('monitor');
      if (monitor === undefined) throw new SilenceInputError('monitor', 'monitor is required: the name of the monitor to silence');
      const durationMs = durationOf(fields, now());
      const createdBy = fields.created_by === 'dashboard' ? 'dashboard' : 'api';
      const silence = newSilence(
        { monitor, subject: text('subject') ?? null, durationMs, comment: text('comment') ?? null, createdBy },
        view.monitors.map((m) => m.name),
        now(),
      );
      await view.silenceStore.add(silence);
      await view.refreshSilences();
      // The silence's fields, and the same under `silence`, for clients that expect either.
      const json = silenceJson(silence, now());
      return reply.code(201).send({ ...json, silence: json });
    } catch (error) {
      if (error instanceof SilenceInputError) return reply.code(400).send({ error: 'invalid_silence', field: error.field, message: error.message });
      throw error;
    }
  });

  app.delete('/api/silences/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await view.silenceStore.remove(id))) return reply.code(404).send({ error: 'not_found', message: `no silence with id ${JSON.stringify(id)}` });
    await view.refreshSilences();
    return reply.code(204).send();
  });
}

/**
 * How long, from the body: `duration` as text (`4h`) or seconds (a number), `for` as text,
 * `duration_seconds`, or `ends_at` (an ISO time).
 */
function durationOf(fields: Record<string, unknown>, now: number): number {
  const { duration, for: forText, duration_seconds: seconds, ends_at: endsAt } = fields;
  const fromSeconds = (value: number, field: string) => {
    if (!Number.isFinite(value) || value <= 0) throw new SilenceInputError(field, `${field} must be a positive number of seconds`);
    return parseSilenceDuration(`${Math.ceil(value)}s`, field);
  };
  if (typeof duration === 'string') return parseSilenceDuration(duration);
  if (typeof duration === 'number') return fromSeconds(duration, 'duration');
  if (typeof forText === 'string') return parseSilenceDuration(forText, 'for');
  if (typeof seconds === 'number') return fromSeconds(seconds, 'duration_seconds');
  if (typeof endsAt === 'string') {
    const end = Date.parse(endsAt);
    if (!Number.isFinite(end) || end <= now) throw new SilenceInputError('ends_at', 'ends_at must be an ISO-8601 time in the future');
    return fromSeconds((end - now) / 1000, 'ends_at');
  }
  throw new SilenceInputError('duration', 'duration is required: how long, such as 30m, 4h or 1d');
}
