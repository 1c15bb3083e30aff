/**
 * @module http/listen — `--http [HOST:]PORT`, parsed without loading the HTTP stack.
 */
import { HttpConfigError } from './auth.js';

export interface ListenSpec {
  host: string;
  port: number;
}

/** `PORT`, `HOST:PORT` or `[IPv6]:PORT`; the host defaults to 127.0.0.1. */
export function parseListenSpec(spec: string): ListenSpec {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(spec.trim());
  const port = Number(match?.[2]);
  if (match === null || port > 65535)
    throw new HttpConfigError(`--http (or HTTP_PORT) must be [HOST:]PORT, e.g. 8080 or 0.0.0.0:8080; got ${JSON.stringify(spec)}`);
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}
