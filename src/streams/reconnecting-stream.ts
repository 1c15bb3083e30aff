/**
 * @module streams/reconnecting-stream — a WebSocket feed that never gives up and never hides a gap.
 *
 * - Reconnects after any close or error with exponential backoff and jitter (1 s to 60 s
 *   by default), reset once a connection has delivered a message; every attempt is logged.
 * - Heartbeat: a ping every `pingIntervalMs`; a pong later than `pongTimeoutMs` drops the
 *   connection (a half-open socket must not go unnoticed). Server pings are answered by
 *   the transport.
 * - Proactive reconnect after `lifetimeMs`: the new connection is opened before the old
 *   one is closed, and both deliver meanwhile (the consumer drops duplicates by id).
 * - Every span without a connection, from start to the first connection included, is
 *   reported as a gap.
 * - A frame that does not decode is dropped and counted, logged at most once a minute.
 */
import type { Logger } from '../log/logger.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { FeedStatus, StreamListener, StreamSource } from './stream-source.js';
import type { Connection, Transport } from './transport.js';

/** Thrown by a decoder for a frame that is not what the feed sends: dropped and counted. */
export class MalformedFrameError extends Error {}

export interface ReconnectingStreamOptions<I> {
  key: string;
  url: string;
  transport: Transport;
  /** One frame → its items ([] to ignore it); throws MalformedFrameError for a bad frame. */
  decode(frame: string): readonly I[];
  logger: Logger;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  lifetimeMs?: number;
  backoff?: BackoffOptions;
  now?: () => number;
}

interface Link {
  connection: Connection | null;
  open: boolean;
  /** Closed on purpose (replaced, or the stream stopped): its close is not a disconnection. */
  retired: boolean;
  delivered: boolean;
  timers: NodeJS.Timeout[];
  pongTimer: NodeJS.Timeout | null;
}

const MALFORMED_LOG_EVERY_MS = 60_000;

export class ReconnectingStream<I> implements StreamSource<I> {
  readonly key: string;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private listener: StreamListener<I> | null = null;
  private current: Link | null = null;
  private readonly links = new Set<Link>();
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private connected = false;
  private since = 0;
  private reconnects = 0;
  private messages = 0;
  private malformed = 0;
  private lastMessageAt: number | null = null;
  private lastMalformedLogAt = -Infinity;
  private malformedSinceLog = 0;

  constructor(private readonly options: ReconnectingStreamOptions<I>) {
    this.key = options.key;
    this.now = options.now ?? Date.now;
    this.backoff = new Backoff(options.backoff ?? { initialMs: 1000, maxMs: 60_000 });
  }

  start(listener: StreamListener<I>): void {
    if (this.listener !== null) throw new Error(`stream ${this.key} is already started`);
    this.listener = listener;
    this.since = this.now();
    this.dial(null);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    for (const link of this.links) this.retire(link);
    this.links.clear();
  }

  status(): FeedStatus & { malformed: number } {
    return {
      feed: this.key,
      connected: this.connected,
      since: this.since,
      reconnects: this.reconnects,
      lastMessageAt: this.lastMessageAt,
      messages: this.messages,
      malformed: this.malformed,
    };
  }

  private dial(replacing: Link | null): void {
    if (this.stopped) return;
    const link: Link = { connection: null, open: false, retired: false, delivered: false, timers: [], pongTimer: null };
    this.links.add(link);
    link.connection = this.options.transport.connect(this.options.url, {
      open: () => this.onOpen(link, replacing),
      message: (text) => this.onMessage(link, text),
      pong: () => {
        if (link.pongTimer !== null) clearTimeout(link.pongTimer);
        link.pongTimer = null;
      },
      close: (reason) => this.onClose(link, reason),
    });
  }

  private onOpen(link: Link, replacing: Link | null): void {
    if (this.stopped || link.retired) return;
    link.open = true;
    if (replacing !== null) this.retire(replacing);
    this.current = link;
    if (!this.connected) {
      const now = this.now();
      const gap = { feed: this.key, start: this.since, end: now };
      this.connected = true;
      this.since = now;
      this.options.logger.info({ feed: this.key, reconnects: this.reconnects }, 'feed connected');
      if (gap.end > gap.start) this.listener?.gap?.(gap);
    }
    const { pingIntervalMs = 20_000, pongTimeoutMs = 15_000, lifetimeMs = 3_600_000 } = this.options;
    link.timers.push(setInterval(() => this.heartbeat(link, pongTimeoutMs), pingIntervalMs));
    link.timers.push(setTimeout(() => this.dial(link), lifetimeMs));
  }

  private heartbeat(link: Link, pongTimeoutMs: number): void {
    if (link.pongTimer !== null) return; // still waiting for the last one
    link.connection?.ping();
    link.pongTimer = setTimeout(() => {
      this.options.logger.warn({ feed: this.key, pongTimeoutMs }, 'feed did not answer a ping in time; reconnecting');
      link.connection?.terminate();
    }, pongTimeoutMs);
  }

  private onMessage(link: Link, text: string): void {
    if (this.stopped || link.retired) return;
    const now = this.now();
    let items: readonly I[];
    try {
      items = this.options.decode(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      this.countMalformed(error.message, text, now);
      return;
    }
    this.messages++;
    this.lastMessageAt = now;
    if (!link.delivered) {
      link.delivered = true;
      this.backoff.reset();
    }
    for (const item of items) this.listener?.item(item);
  }

  private countMalformed(reason: string, frame: string, now: number): void {
    this.malformed++;
    this.malformedSinceLog++;
    if (now - this.lastMalformedLogAt < MALFORMED_LOG_EVERY_MS) return;
    this.options.logger.warn(
      { feed: this.key, dropped: this.malformedSinceLog, reason, sample: frame.length > 200 ? `${frame.slice(0, 200)}…` : frame },
      'feed sent malformed messages; dropped',
    );
    this.lastMalformedLogAt = now;
    this.malformedSinceLog = 0;
  }

  private onClose(link: Link, reason: string): void {
    this.clearTimers(link);
    this.links.delete(link);
    if (this.stopped || link.retired) return;
    if (link === this.current) {
      this.current = null;
      this.connected = false;
      this.since = this.now();
    } else if (this.current !== null) {
      // A replacement that failed to open: the current connection goes on; try again later.
      this.options.logger.warn({ feed: this.key, reason }, 'feed replacement connection failed; keeping the current one');
      const retry = setTimeout(() => this.dial(this.current), this.backoff.next());
      this.current.timers.push(retry);
      return;
    }
    this.reconnects++;
    const delay = this.backoff.next();
    this.options.logger.warn({ feed: this.key, reason, retryInMs: delay, attempt: this.reconnects }, 'feed disconnected; reconnecting');
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial(null);
    }, delay);
  }

  private retire(link: Link): void {
    link.retired = true;
    this.clearTimers(link);
    link.connection?.close();
    // An orderly close that is not answered must not keep the socket alive.
    const drop = setTimeout(() => link.connection?.terminate(), 2000);
    drop.unref();
  }

  private clearTimers(link: Link): void {
    for (const timer of link.timers) clearTimeout(timer);
    link.timers.length = 0;
    if (link.pongTimer !== null) clearTimeout(link.pongTimer);
    link.pongTimer = null;
  }
}
