/**
 * @module testing/fake-exchange — a real HTTP server on 127.0.0.1 playing the Aster spot API,
 * for integration tests, end-to-end tests and benchmarks (never used by the service):
 * prices, 24 h open prices, signed accounts (signatures verified), request log, faults.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listenOnLoopback } from './loopback-server.js';

export interface Fault {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface LoggedRequest {
  path: string;
  query: URLSearchParams;
  at: number;
}

export class FakeExchange {
  readonly prices = new Map<string, number>();
  readonly openPrices = new Map<string, number>();
  readonly accounts = new Map<string, { secret: string; balances: Array<{ asset: string; free: string; locked: string }> }>();
  readonly requests: LoggedRequest[] = [];
  /** Faults to serve, per path, in order, before normal answers. */
  readonly faults = new Map<string, Fault[]>();
  /** Symbols listed by exchangeInfo but left out of ticker/price answers (a gap in one round's ticker). */
  readonly hiddenFromTicker = new Set<string>();
  /** Raw `price` strings served for a symbol instead of its price (impossible values). */
  readonly rawTickerPrices = new Map<string, string>();
  /** When set, ticker/price requests wait for this promise (to hold a round mid-flight). */
  holdTicker: Promise<void> | null = null;
  weightLimit = 6000;
  /** What its futures market (`/fapi/v1/exchangeInfo`) lists. */
  readonly futuresSymbols = new Set(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'DOGEUSDT', 'ASTERUSDT', 'XRPUSDT']);
  private server: Server | null = null;

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await listenOnLoopback(this.server, port);
    return this;
  }

  async stop(): Promise<void> {
    if (this.server === null) return;
    await closeServer(this.server);
    this.server = null;
  }

  setPrice(symbol: string, price: number, open?: number): void {
    this.prices.set(symbol, price);
    if (open !== undefined) this.openPrices.set(symbol, open);
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push({ path: url.pathname, query: url.searchParams, at: Date.now() });
    const fault = this.faults.get(url.pathname)?.shift();
    if (fault !== undefined) return send(res, fault.status, fault.body, fault.headers);
    switch (url.pathname) {
      case '/api/v1/time':
        return send(res, 200, { serverTime: Date.now() });
      case '/api/v1/exchangeInfo':
        return send(res, 200, {
          timezone: 'UTC',
          serverTime: Date.now(),
          rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.weightLimit }],
          symbols: [...this.prices.keys()].map((symbol) => ({ symbol, status: 'TRADING', baseAsset: symbol.replace(/USDT$/, ''), quoteAsset: 'USDT' })),
        });
      case '/fapi/v1/exchangeInfo':
        return send(res, 200, {
          timezone: 'UTC',
          serverTime: Date.now(),
          rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }],
          symbols: [...this.futuresSymbols].map((symbol) => ({
            symbol,
            status: 'TRADING',
            contractType: 'PERPETUAL',
            baseAsset: symbol.replace(/USDT$/, ''),
            quoteAsset: 'USDT',
          })),
        });
      case '/api/v1/ticker/price': {
        if (this.holdTicker !== null) await this.holdTicker;
        const symbol = url.searchParams.get('symbol');
        if (symbol !== null) {
          const price = this.prices.get(symbol);
          return price === undefined
            ? send(res, 400, { code: -1121, msg: 'Invalid symbol.' })
            : send(res, 200, { symbol, price: String(price), time: Date.now() });
        }
        return send(
          res,
          200,
          [...this.prices]
            .filter(([s]) => !this.hiddenFromTicker.has(s))
            .map(([s, p]) => ({ symbol: s, price: this.rawTickerPrices.get(s) ?? String(p), time: Date.now() })),
        );
      }
      case '/api/v1/ticker/24hr': {
        const symbol = url.searchParams.get('symbol');
        const row = (s: string) => ({ symbol: s, openPrice: String(this.openPrices.get(s) ?? this.prices.get(s)), lastPrice: String(this.prices.get(s)) });
        if (symbol !== null) return this.prices.has(symbol) ? send(res, 200, row(symbol)) : send(res, 400, { code: -1121, msg: 'Invalid symbol.' });
        return send(res, 200, [...this.prices.keys()].map(row));
      }
      case '/api/v1/account':
        return this.account(req, url, res);
      default:
        return send(res, 404, { code: -1, msg: 'not found' });
    }
  }

  private account(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const key = req.headers['x-mbx-apikey'];
    const account = typeof key === 'string' ? this.accounts.get(key) : undefined;
    if (account === undefined) return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    const query = url.search.slice(1);
    const at = query.lastIndexOf('&signature=');
    const payload = query.slice(0, at);
    const signature = query.slice(at + '&signature='.length);
    const expected = createHmac('sha256', account.secret).update(payload).digest('hex');
    if (at < 0 || signature.toLowerCase() !== expected) return send(res, 400, { code: -1022, msg: 'Signature for this request is not valid.' });
    const timestamp = Number(url.searchParams.get('timestamp'));
    const recvWindow = Number(url.searchParams.get('recvWindow') ?? 5000);
    if (!(timestamp < Date.now() + 1000 && Date.now() - timestamp <= recvWindow)) {
      return send(res, 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    }
    return send(res, 200, { canTrade: true, balances: account.balances });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', 'X-MBX-USED-WEIGHT-1M': '10', ...headers });
  res.end(text);
}
