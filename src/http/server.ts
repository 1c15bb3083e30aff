/**
 * @module http/server — the HTTP surface: health, metrics, the events API and the dashboard.
 *
 * Off by default; `--http [HOST:]PORT` or HTTP_PORT turns it on, bound to 127.0.0.1
 * unless a host is given, and then only with HTTP_TOKEN.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../log/logger.js';
import type { ServiceReadModel } from '../service/read-model.js';
import { assertSafeBinding, loopbackHostGuard, sameOriginWrites, tokenGuard } from './auth.js';
import type { HttpContext } from './context.js';
import { EventStreams, type StreamLimits } from './event-streams.js';
import { EventTail } from './events-tail.js';
import { SubjectHistory } from './history.js';
import { createMetrics } from './metrics.js';
import { RAW_SECURITY_HEADERS, securityHeaders } from './security-headers.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { liquidationRoutes } from './routes/liquidations.js';
import { metricsRoutes } from './routes/metrics.js';
import { monitorRoutes } from './routes/monitors.js';
import { silenceRoutes } from './routes/silences.js';
import { sinkRoutes } from './routes/sinks.js';

export { parseListenSpec, type ListenSpec } from './listen.js';
export { HttpListenError } from './listen-error.js';
import { HttpListenError } from './listen-error.js';
import type { ListenSpec } from './listen.js';

export interface HttpAppOptions {
  token?: string;
  now?: () => number;
  /** Caps of the event streams (defaults: 200 streams, 1 MiB unread per client). */
  streams?: StreamLimits;
}

/** Builds the app (not listening): used by the server and by in-process tests. */
export function buildHttpApp(view: ServiceReadModel, options: HttpAppOptions = {}): { app: FastifyInstance; context: HttpContext } {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    // A request fastify refuses before routing (a malformed URL) skips the hooks: its answer gets the headers here.
    frameworkErrors: (error, _request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      void reply.headers(RAW_SECURITY_HEADERS).header('Cache-Control', 'no-store').code(400).send({ error: 'bad_request', message: error.message });
    },
  });
  const history = new SubjectHistory();
  const tail = new EventTail(view.events);
  const streams = new EventStreams(options.streams);
  const context: HttpContext = { view, history, tail, streams, metrics: createMetrics(view, streams), now: options.now ?? Date.now };
  const unsubscribe = [
    view.hooks.on('round', (outcome) => {
      history.record(outcome.checkedAt, outcome.checks);
      void tail.poke();
    }),
    // Charts of monitors a reload removed go with them.
    view.hooks.on('reload', () => history.keepOnly(new Set(view.monitors.map((m) => m.name)))),
    view.hooks.on('batch', (batch) => {
      history.record(batch.at, batch.checks);
      if (batch.events.length > 0) void tail.poke();
    }),
  ];
  securityHeaders(app);
  const token = options.token === '' ? undefined : options.token;
  app.addHook('onRequest', token === undefined ? loopbackHostGuard() : tokenGuard(token));
  app.addHook('onRequest', sameOriginWrites());
  healthRoutes(app, context);
  metricsRoutes(app, context);
  monitorRoutes(app, context);
  eventRoutes(app, context);
  liquidationRoutes(app, context);
  silenceRoutes(app, context);
  sinkRoutes(app, context);
  dashboardRoutes(app, token === undefined ? {} : { token });
  app.addHook('onClose', async () => {
    tail.stop();
    for (const off of unsubscribe) off();
  });
  return { app, context };
}

/** Starts listening; resolves with a handle whose close() stops it. */
export async function startHttpServer(view: ServiceReadModel, listen: ListenSpec, logger: Logger): Promise<{ close(): Promise<void>; url: string }> {
  const token = process.env.HTTP_TOKEN;
  assertSafeBinding(listen.host, token);
  const { app, context } = buildHttpApp(view, token === undefined ? {} : { token });
  await context.tail.init();
  let address: string;
  try {
    address = await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    await app.close();
    throw new HttpListenError(listen, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  logger.info({ address, auth: token ? 'bearer token' : 'none (loopback only)' }, 'HTTP surface listening');
  return { url: address, close: () => app.close() };
}
