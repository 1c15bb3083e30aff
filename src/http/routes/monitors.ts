/**
 * @module http/routes/monitors — GET /api/monitors: configuration, schedule and state.
 */
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeFor } from '../../modes/mode.js';
import type { HttpContext } from '../context.js';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The in-memory history, plus the persisted state when it is newer (written by a `check` beside the service). */
function withLatest(points: Array<[number, number]>, latest: [number, number] | null): Array<[number, number]> {
  const last = points[points.length - 1];
  if (latest === null || (last !== undefined && last[0] >= latest[0])) return points;
  return [...points, latest];
}

/** A page of monitors: at 10,000 monitors the whole list is tens of MB of JSON (issue 16). */
export const DEFAULT_MONITORS_PAGE = 100;
export const MAX_MONITORS_PAGE = 200;

export function monitorRoutes(app: FastifyInstance, { view, history }: HttpContext): void {
  app.get('/api/monitors', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const limit = query.limit === undefined ? DEFAULT_MONITORS_PAGE : Number(query.limit);
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MONITORS_PAGE)
      return reply.code(400).send({ error: 'bad_request', message: `limit must be a whole number from 1 to ${MAX_MONITORS_PAGE}` });
    if (!Number.isInteger(offset) || offset < 0) return reply.code(400).send({ error: 'bad_request', message: 'offset must be a whole number, 0 or more' });
    const all = view.monitors;
    const page = all.slice(offset, offset + limit);
    const nextRuns = view.nextRuns();
    const persisted = await view.monitorStatuses();
    const monitors = [];
    for (const monitor of page) {
      const states = await view.statesOf(monitor.name);
      const run = view.lastRun(monitor.name);
      const status = persisted.get(monitor.name);
      const subjects = monitor.plugin.subjects(monitor, states).map((s) => ({ ...s, description: describeFor(monitor.plugin, s.condition, monitor) }));
      monitors.push({
        name: monitor.name,
        mode: monitor.mode,
        interval_seconds: monitor.plugin.driver.kind === 'polled' && monitor.schedule === null ? monitor.intervalSeconds : null,
        schedule: monitor.schedule,
        notify: monitor.notify,
        value_heading: monitor.plugin.valueHeading?.(monitor) ?? null,
        alerting: {
          notify_resolved: monitor.alerting.notifyResolved,
          repeat_interval: monitor.alerting.repeatIntervalMs === null ? null : monitor.alerting.repeatIntervalMs / 1000,
          rearm: monitor.alerting.rearm?.source ?? null,
        },
        next_run: iso(nextRuns.get(monitor.name)),
        last_run:
          run !== undefined
            ? {
                round_time: iso(run.roundTime),
                checked_at: iso(run.checkedAt),
                result: run.result,
                error: run.error,
                duration_ms: run.durationMs,
                events: run.events,
              }
            : status !== undefined
              ? {
                  round_time: iso(status.lastRound),
                  checked_at: iso(status.lastCheckedAt),
                  result: status.lastResult,
                  error: status.lastError,
                  duration_ms: null,
                  events: null,
                }
              : null,
        subjects: subjects.map(({ subject, symbol, condition, description }) => {
          const state = states.get(subject);
          return {
            subject,
            symbol,
            condition: condition.source,
            description,
            level: condition.level,
            value: state?.value ?? null,
            previous: state?.previous ?? null,
            armed: state?.armed ?? true,
            checked_at: iso(state?.checkedAt),
            // When the subject's alert began firing (a monitor with an alert policy), else null.
            firing_since: iso(state?.alert?.firingSince),
            detail: run?.details?.get(subject) ?? null,
            history: withLatest(history.of(monitor.name, subject), state === undefined ? null : [state.checkedAt, state.value]),
          };
        }),
      });
    }
    // When the running configuration was loaded (a reload changes it): the dashboard's header shows it.
    return {
      monitors,
      total: all.length,
      offset,
      limit,
      next_offset: offset + limit < all.length ? offset + limit : null,
      config: { file: basename(view.config.file), loaded_at: iso(view.configLoadedAt), reloads: { ...view.configReloads } },
    };
  });
}
