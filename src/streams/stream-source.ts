/**
 * @module streams/stream-source — the seam between a pushed feed and the stream driver.
 *
 * A stream source delivers items as they arrive, reports every span in which it was not
 * connected (a gap: missing data, not a quiet market), and tells its connection state
 * for readiness, metrics and the dashboard.
 */

/** A span in which a feed was not connected. */
export interface FeedGap {
  /** The source's key, e.g. `liquidations:aster`. */
  feed: string;
  start: number;
  end: number;
}

/** A feed's connection, as /readyz, /metrics and the dashboard show it. */
export interface FeedStatus {
  feed: string;
  connected: boolean;
  /** Connected since, or (when not connected) disconnected since; ms. */
  since: number;
  reconnects: number;
  lastMessageAt: number | null;
  messages: number;
}

export interface StreamListener<I> {
  item(item: I): void;
  gap?(gap: FeedGap): void;
}

export interface StreamSource<I> {
  /** Sources with the same key are one connection, shared by every monitor that listens. */
  readonly key: string;
  start(listener: StreamListener<I>): void;
  /** What the source recorded with a time in [since, until], oldest first (a source that records nothing has none). */
  history?(since: number, until: number): Promise<I[]>;
  /** Closes the connection; resolves when it is closed. */
  stop(): Promise<void>;
  status(): FeedStatus;
}
