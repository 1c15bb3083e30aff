/**
 * @module streams/ws-transport — the Transport over the `ws` package.
 *
 * Server pings are answered by `ws` itself (autoPong). Frames are bounded in size
 * (`maxPayload`): a liquidation message is a few hundred bytes.
 */
import type WebSocket from 'ws';
import { lazyModule } from '../lazy-module.js';
import type { Connection, ConnectionHandlers, Transport } from './transport.js';

export interface WsTransportOptions {
  /** Largest frame accepted (default 64 KiB); a bigger one closes the connection. */
  maxPayload?: number;
  /** Ceiling of the opening handshake (default 10 s). */
  handshakeTimeoutMs?: number;
}

/** `ws`, loaded when a stream is first opened (a service without liquidation monitors never does). */
const ws = lazyModule<typeof WebSocket>('ws');

export class WsTransport implements Transport {
  constructor(private readonly options: WsTransportOptions = {}) {}

  connect(url: string, handlers: ConnectionHandlers): Connection {
    const WebSocketClass = ws();
    const socket = new WebSocketClass(url, {
      maxPayload: this.options.maxPayload ?? 64 * 1024,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
    });
    let closed = false;
    const closeOnce = (reason: string): void => {
      if (closed) return;
      closed = true;
      handlers.close(reason);
    };
    socket.on('open', () => handlers.open());
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) return handlers.message('');
      handlers.message(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    });
    socket.on('pong', () => handlers.pong());
    socket.on('error', (error: Error & { code?: string }) => closeOnce(error.code ?? error.message));
    socket.on('close', (code: number) => closeOnce(`closed (code ${code})`));
    return {
      ping: () => {
        if (socket.readyState === WebSocketClass.OPEN) socket.ping();
      },
      close: () => socket.close(),
      terminate: () => socket.terminate(),
    };
  }
}
