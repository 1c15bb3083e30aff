/**
 * @module cli/http-flag — `--http [HOST:]PORT` / HTTP_PORT for run.
 */
import { assertSafeBinding } from '../http/auth.js';
import { parseListenSpec, type ListenSpec } from '../http/listen.js';
import type { Logger } from '../log/logger.js';
import type { ServiceReadModel } from '../service/read-model.js';

export const HTTP_HELP = `      --http [HOST:]PORT  serve health, metrics, the events API and the dashboard
                     (default: $HTTP_PORT; off when neither is set; host 127.0.0.1)`;

export interface HttpHandle {
  close(): Promise<void>;
}

/** Where to listen, from the flag or HTTP_PORT; null when off. Throws on a bad value or an unsafe host, before anything starts. */
export function requestedListen(flag: string | undefined): ListenSpec | null {
  const spec = flag ?? process.env.HTTP_PORT;
  if (spec === undefined || spec === '') return null;
  const listen = parseListenSpec(spec);
  assertSafeBinding(listen.host, process.env.HTTP_TOKEN);
  return listen;
}

/** Starts the HTTP surface (loaded only when asked for). */
export async function startHttp(listen: ListenSpec, view: ServiceReadModel, logger: Logger): Promise<HttpHandle> {
  const { startHttpServer } = await import('../http/server.js');
  return startHttpServer(view, listen, logger);
}
