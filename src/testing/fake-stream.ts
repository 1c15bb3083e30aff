/**
 * @module testing/fake-stream — a real WebSocket server on 127.0.0.1 playing an exchange stream,
 * for tests and benchmarks (never used by the service): send frames to every client,
 * drop connections, stop answering pings (a half-open connection), count connections.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export class FakeStreamServer {
  private server: WebSocketServer | null = null;
  readonly clients = new Set<WebSocket>();
  /** Every connection ever accepted, in order (path included). */
  readonly connections: Array<{ at: number; path: string }> = [];

  /** Starts listening; `answerPings: false` makes every connection half-open for the heartbeat. */
  async start(options: { answerPings?: boolean; port?: number } = {}): Promise<this> {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0, autoPong: options.answerPings ?? true });
    this.server.on('connection', (socket, request) => {
      this.clients.add(socket);
      this.connections.push({ at: Date.now(), path: request.url ?? '/' });
      socket.on('close', () => this.clients.delete(socket));
      socket.on('error', () => this.clients.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.once('listening', () => resolve()));
    return this;
  }

  url(path = '/ws/!forceOrder@arr'): string {
    const { port } = this.server!.address() as AddressInfo;
    return `ws://127.0.0.1:${port}${path}`;
  }

  /** Sends one text frame to every open client. */
  broadcast(frame: string | object): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const client of this.clients) if (client.readyState === client.OPEN) client.send(text);
  }

  /** Drops every client without a close handshake (a network cut). */
  dropAll(): void {
    for (const client of this.clients) client.terminate();
  }

  async stop(): Promise<void> {
    if (this.server === null) return;
    for (const client of this.clients) client.terminate();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
