/**
 * @module http/routes/health — liveness and readiness.
 */
import type { FastifyInstance } from 'fastify';
import type { MonitorConfig } from '../../config/index.js';
import { nextCronSlot, parseCron } from '../../scheduler/slots.js';
import type { HttpContext } from '../context.js';

/** How long a monitor may go without a round before it is stale: twice its period (cron: the gap between its next two runs). */
function periodOf(monitor: MonitorConfig): (now: number) => number {
  if (monitor.schedule === null) return () => monitor.intervalSeconds * 1000;
  const fields = parseCron(monitor.schedule);
  return (now) => {
    const first = nextCronSlot(fields, now);
    return nextCronSlot(fields, first) - first;
  };
}

export function healthRoutes(app: FastifyInstance, { view, now }: HttpContext): void {
  // Parsed once, not per request: /readyz may be polled every few seconds. Streamed
  // monitors have no rounds: their feeds' connections are reported instead.
  const periods = view.monitors.filter((m) => m.plugin.driver.kind === 'polled').map((monitor) => [monitor, periodOf(monitor)] as const);
  // Alive means able to do its work: a scheduler that stopped on its own is not.
  app.get('/healthz', async (_request, reply) => {
    const failure = view.schedulerFailure();
    return failure === null ? { status: 'ok' } : reply.code(503).send({ status: 'failing', reason: `the scheduler stopped: ${failure}` });
  });

  app.get('/readyz', async (_request, reply) => {
    const at = now();
    const store = await view.storeHealth();
    const stale: string[] = [];
    for (const [monitor, periodMs] of periods) {
      const last = view.lastRun(monitor.name)?.checkedAt ?? (await view.lastRoundOf(monitor.name)) ?? view.startedAt;
      // Before a monitor's first round, the service's start time stands in for it.
      if (at - Math.max(last, view.startedAt) > 2 * periodMs(at)) stale.push(monitor.name);
    }
    const exchange = view.exchange().health;
    const checks: Record<string, { ok: boolean } & Record<string, unknown>> = {
      config: { ok: true, monitors: view.monitors.length },
      database: { ok: store.ok, error: store.error },
      rounds: { ok: stale.length === 0, stale },
      exchange:
        exchange === null
          ? { ok: periods.length === 0, error: periods.length === 0 ? null : 'no round has reached the exchange yet' }
          : { ok: exchange.ok, error: exchange.error, checked_at: new Date(exchange.at).toISOString() },
    };
    const feeds = view.feeds();
    if (feeds.length > 0) {
      checks.feeds = {
        ok: feeds.every((f) => f.connected),
        feeds: feeds.map((f) => ({
          feed: f.feed,
          connected: f.connected,
          since: new Date(f.since).toISOString(),
          reconnects: f.reconnects,
          last_message_at: f.lastMessageAt === null ? null : new Date(f.lastMessageAt).toISOString(),
        })),
      };
    }
    const failed = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    return reply.code(failed.length === 0 ? 200 : 503).send({ status: failed.length === 0 ? 'ready' : 'not ready', failed, checks });
  });
}
