/**
 * A real HTTP server on 127.0.0.1 that records every request and answers from a
 * programmable queue (then 200), for webhook and Telegram tests.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from '../../src/testing/loopback-server.js';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Receiver {
  readonly received: Received[] = [];
  readonly answers: Answer[] = [];
  defaultAnswer: Answer = { status: 200, body: { ok: true } };
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() });
        const answer = this.answers.shift() ?? this.defaultAnswer;
        res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    this.port = await listenOnLoopback(this.server, port);
    return this;
  }

  async stop(): Promise<void> {
    if (this.server === null) return;
    await closeServer(this.server);
    this.server = null;
  }
}
