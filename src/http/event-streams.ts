/**
 * @module http/event-streams — Server-Sent Event streams, bounded.
 *
 * Every stream of the surface goes through here: at most `maxStreams` open at once (more
 * get 503), and a client that does not read is dropped once `maxUnreadBytes` wait in its
 * socket buffer, instead of growing the process without bound. A comment every 15 s keeps
 * proxies from closing an idle stream.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RAW_SECURITY_HEADERS } from './security-headers.js';

export interface StreamLimits {
  /** Streams open at once, over every stream route (default 200). */
  maxStreams?: number;
  /** Bytes a client may leave unread before it is dropped (default 1 MiB). */
  maxUnreadBytes?: number;
  /** How long a client that is behind may read nothing before it is dropped (default 30 s). */
  stallMs?: number;
}

const HEARTBEAT_MS = 15_000;

/** One open stream. */
export interface StreamWriter {
  /** Writes one message; false when the stream is closed (or was just dropped for not reading). */
  send(message: string): boolean;
  /** True while more than half the unread bound waits in the socket: write more only after drained(). */
  readonly pressed: boolean;
  /** Resolves when the socket has room again (false: the client was dropped or left). */
  drained(): Promise<boolean>;
  readonly closed: boolean;
  /** Ends the stream of a client that cannot keep up (counted as dropped). */
  drop(): void;
  /** Called once when the stream ends, whoever ended it. */
  onClose(listener: () => void): void;
}

export class EventStreams {
  private readonly maxStreams: number;
  private readonly maxUnreadBytes: number;
  private readonly stallMs: number;
  /** Streams open now. */
  open = 0;
  /** Clients dropped for not reading, since start. */
  dropped = 0;
  /** Streams refused because too many were open, since start. */
  refused = 0;

  constructor(limits: StreamLimits = {}) {
    this.maxStreams = limits.maxStreams ?? 200;
    this.maxUnreadBytes = limits.maxUnreadBytes ?? 1024 * 1024;
    this.stallMs = limits.stallMs ?? 30_000;
  }

  /** Starts a stream on the request, or answers 503 and returns null when too many are open. */
  start(request: FastifyRequest, reply: FastifyReply): StreamWriter | null {
    if (this.open >= this.maxStreams) {
      this.refused++;
      void reply.code(503).send({ error: 'too_many_streams', message: `at most ${this.maxStreams} event streams are served at once; try again later` });
      return null;
    }
    this.open++;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      ...RAW_SECURITY_HEADERS,
    });
    const listeners: Array<() => void> = [];
    const maxUnreadBytes = this.maxUnreadBytes;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      this.open--;
      clearInterval(heartbeat);
      for (const listener of listeners) listener();
    };
    const drop = (): void => {
      if (closed) return;
      this.dropped++;
      raw.destroy();
      close();
    };
    const writer: StreamWriter = {
      send: (message) => {
        if (closed) return false;
        if (raw.writableLength > this.maxUnreadBytes) {
          drop();
          return false;
        }
        raw.write(message);
        return true;
      },
      drained: () =>
        new Promise<boolean>((resolve) => {
          if (closed) return resolve(false);
          if (raw.writableLength <= maxUnreadBytes / 2) return resolve(true);
          const timer = setTimeout(() => {
            drop();
            resolve(false);
          }, this.stallMs);
          raw.once('drain', () => {
            clearTimeout(timer);
            resolve(!closed);
          });
        }),
      get closed() {
        return closed;
      },
      get pressed() {
        return raw.writableLength > maxUnreadBytes / 2;
      },
      drop,
      onClose: (listener) => listeners.push(listener),
    };
    raw.write('retry: 3000\n: connected\n\n');
    const heartbeat = setInterval(() => writer.send(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    request.raw.on('close', close);
    raw.on('close', close);
    return writer;
  }
}
