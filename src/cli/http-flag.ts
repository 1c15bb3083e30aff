/**
 * @module cli/http-flag — `--http [HOST:]PORT` / HTTP_PORT for run.
 */
import type { Logger } from '../log/logger.js';
import type { Service } from '../service/service.js';

export const HTTP_HELP = `      --http [HOST:]PORT  serve health, metrics, the events API and the dashboard
                     (default: $HTTP_PORT; off when neither is set; host 127.0.0.1)`;

export interface HttpHandle {
  close(): Promise<void>;
}

/** Starts the HTTP surface when asked; null otherwise. */
export async function startHttpIfRequested(flag: string | undefined, service: Service, logger: Logger): Promise<HttpHandle | null> {
  const spec = flag ?? process.env.HTTP_PORT;
  if (spec === undefined || spec === '') return null;
  const { startHttpServer, parseListenSpec } = await import('../http/server.js');
  return startHttpServer(service, parseListenSpec(spec), logger);
}
