/**
 * @module http/routes/health — liveness and readiness.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';
import { nextCronSlot, parseCron } from '../../scheduler/slots.js';
import type { MonitorConfig } from '../../config/index.js';

/** How long a monitor may go without a round before it is stale: twice its period (cron: the gap between its next two runs). */
function periodOf(monitor: MonitorConfig): (now: number) => number {
  if (monitor.schedule === null) return () => monitor.intervalSeconds * 1000;
  const fields = parseCron(monitor.schedule);
  return (now) => {
    const first = nextCronSlot(fields, now);
    return nextCronSlot(fields, first) - first;
  };
}

export function healthRoutes(app: FastifyInstance, { service, now }: HttpContext): void {
  // Parsed once, not per request: /readyz may be polled every few seconds.
  const periods = service.config.monitors.map((monitor) => [monitor, periodOf(monitor)] as const);
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const at = now();
    const database = service.store.writable();
    const stale: string[] = [];
    for (const [monitor, periodMs] of periods) {
      const last = service.lastRuns.get(monitor.name)?.checkedAt ?? service.store.lastRoundOf(monitor.name) ?? service.startedAt;
      // Before a monitor's first round, the service's start time stands in for it.
      if (at - Math.max(last, service.startedAt) > 2 * periodMs(at)) stale.push(monitor.name);
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
