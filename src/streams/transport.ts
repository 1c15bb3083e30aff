/**
 * @module streams/transport — a WebSocket connection as the reconnecting stream sees it.
 *
 * An interface so the lifecycle (reconnect, heartbeat, lifetime) is independent of the
 * library; ws-transport.ts implements it with the `ws` package.
 */

export interface ConnectionHandlers {
  open(): void;
  message(text: string): void;
  pong(): void;
  /** Called once, whatever closed it (the server, an error, `terminate`). */
  close(reason: string): void;
}

export interface Connection {
  ping(): void;
  /** Orderly close. */
  close(): void;
  /** Drops the socket at once (a half-open connection will never answer a close). */
  terminate(): void;
}

export interface Transport {
  connect(url: string, handlers: ConnectionHandlers): Connection;
}
