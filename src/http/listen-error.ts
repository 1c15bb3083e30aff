/**
 * @module http/listen-error — the HTTP surface could not listen (the port is taken, or not ours to take).
 */
import { AsterwatchError } from '../errors.js';
import type { ListenSpec } from './listen.js';

export class HttpListenError extends AsterwatchError {
  constructor(listen: ListenSpec, code: string) {
    const address = listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`;
    const advice =
      code === 'EADDRINUSE'
        ? 'another program listens there; stop it or choose another port with --http or HTTP_PORT'
        : code === 'EACCES'
          ? 'this user may not listen there; use a port above 1023'
          : 'check --http or HTTP_PORT';
    super('HTTP_LISTEN', `cannot serve HTTP on ${address} (${code}): ${advice}`);
  }
}
