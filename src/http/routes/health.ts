/**
 * @module http/routes/health — liveness and readiness.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';
import { nextCronSlot, parseCron } from '../../scheduler/slots.js';
import type { MonitorConfig } from '../../config/index.js';

/** How long a monitor may go without a round before it is stale: twice its period. */
function periodMs(monitor: MonitorConfig, now: number): number {
  if (monitor.schedule === null) return monitor.intervalSeconds * 1000;
  const fields = parseCron(monitor.schedule);
  const first = nextCronSlot(fields, now);
  return nextCronSlot(fields, first) - first;
}

export function healthRoutes(app: FastifyInstance, { service, now }: HttpContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const at = now();
    const database = service.store.writable();
    const stale: string[] = [];
    for (const monitor of service.config.monitors) {
      const last = service.lastRuns.get(monitor.name)?.checkedAt ?? service.store.lastRoundOf(monitor.name) ?? service.startedAt;
      // Before a monitor's first round, the service's start time stands in for it.
      if (at - Math.max(last, service.startedAt) > 2 * periodMs(monitor, at)) stale.push(monitor.name);
    }
    const exchange = service.exchangeHealth;
    const checks = {
      config: { ok: true, monitors: service.config.monitors.length },
      database: { ok: database, path: service.store.path },
      rounds: { ok: stale.length === 0, stale },
      exchange: exchange === null
        ? { ok: false, error: 'no round has reached the exchange yet' }
        : { ok: exchange.ok, error: exchange.error, checked_at: new Date(exchange.at).toISOString() },
    };
    const failed = Object.entries(checks).filter(([, check]) => !check.ok).map(([name]) => name);
    return reply.code(failed.length === 0 ? 200 : 503).send({ status: failed.length === 0 ? 'ready' : 'not ready', failed, checks });
  });
}
