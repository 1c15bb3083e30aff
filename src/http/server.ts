/**
 * @module http/server — placeholder replaced in the HTTP issue.
 */
import type { Logger } from '../log/logger.js';
import type { Service } from '../service/service.js';

export interface ListenSpec {
  host: string;
  port: number;
}

export function parseListenSpec(spec: string): ListenSpec {
  const match = /^(?:(.+):)?(\d+)$/.exec(spec);
  if (match === null) throw new Error(`--http must be [HOST:]PORT, got ${JSON.stringify(spec)}`);
  return { host: match[1] ?? '127.0.0.1', port: Number(match[2]) };
}

export async function startHttpServer(_service: Service, _listen: ListenSpec, _logger: Logger): Promise<{ close(): Promise<void> }> {
  throw new Error('the HTTP surface is not built yet');
}
