/**
 * @module http/routes/monitors — GET /api/monitors: configuration, schedule and state.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';
import { PORTFOLIO_SUBJECT } from '../../modes/portfolio.js';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The in-memory history, plus the persisted state when it is newer (written by a `check` beside the service). */
function withLatest(points: Array<[number, number]>, latest: [number, number] | null): Array<[number, number]> {
  const last = points[points.length - 1];
  if (latest === null || (last !== undefined && last[0] >= latest[0])) return points;
  return [...points, latest];
}

export function monitorRoutes(app: FastifyInstance, { service, history }: HttpContext): void {
  app.get('/api/monitors', async () => {
    const nextRuns = service.scheduler.nextRuns();
    const persisted = service.store.monitorStatuses();
    return {
      monitors: service.config.monitors.map((monitor) => {
        const states = service.store.statesOf(monitor.name);
        const run = service.lastRuns.get(monitor.name);
        const status = persisted.get(monitor.name);
        const subjects = monitor.mode === 'market'
          ? monitor.assets.map((a) => ({ subject: a.asset, symbol: a.symbol, condition: a.condition }))
          : [{ subject: PORTFOLIO_SUBJECT, symbol: null, condition: monitor.portfolio!.condition }];
        return {
          name: monitor.name,
          mode: monitor.mode,
          interval_seconds: monitor.schedule === null ? monitor.intervalSeconds : null,
          schedule: monitor.schedule,
          notify: monitor.notify,
          next_run: iso(nextRuns.get(monitor.name)),
          last_run: run !== undefined
            ? { round_time: iso(run.roundTime), checked_at: iso(run.checkedAt), result: run.result, error: run.error, duration_ms: run.durationMs, events: run.events }
            : status !== undefined
              ? { round_time: iso(status.lastRound), checked_at: iso(status.lastCheckedAt), result: status.lastResult, error: status.lastError, duration_ms: null, events: null }
              : null,
          subjects: subjects.map(({ subject, symbol, condition }) => {
            const state = states.get(subject);
            return {
              subject,
              symbol,
              condition: condition.source,
              description: condition.describe(monitor.mode),
              level: condition.level,
              value: state?.value ?? null,
              previous: state?.previous ?? null,
              armed: state?.armed ?? true,
              checked_at: iso(state?.checkedAt),
              history: withLatest(history.of(monitor.name, subject), state === undefined ? null : [state.checkedAt, state.value]),
            };
          }),
        };
      }),
    };
  });
}
