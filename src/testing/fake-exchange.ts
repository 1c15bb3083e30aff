/**
 * @module testing/fake-exchange — a real HTTP server on 127.0.0.1 playing the Aster spot and
 * futures APIs, for integration tests, end-to-end tests and benchmarks (never used by the
 * service): prices, 24 h open prices, signed accounts — V1 HMAC and V3 EIP-712, both verified
 * for real (the V3 signer is recovered from the signature; nonces must be within 10 s of its
 * clock and never reused) — futures accounts and positions, request log, faults.
 */
import { createHmac } from 'node:crypto';
import { recoverTypedDataAddress, type Hex } from 'viem';
import { ASTER_SIGNING_DOMAIN, ASTER_SIGNING_TYPES } from '../exchange/api-wallet.js';
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

/** A futures account's totals as the exchange sends them (decimal strings). */
export interface FakeFuturesAccount {
  totalMarginBalance: string;
  totalWalletBalance?: string;
  totalUnrealizedProfit?: string;
}

/** A positionRisk row as the exchange sends it. */
export interface FakePosition {
  symbol: string;
  positionAmt: string;
  entryPrice: string;
  markPrice: string;
  liquidationPrice: string;
  unRealizedProfit: string;
  leverage: string;
  marginType: string;
  positionSide: string;
}

/** What an account holds: spot balances, and its futures side when it has one. */
export interface FakeAccountData {
  balances: Array<{ asset: string; free: string; locked: string }>;
  futures?: FakeFuturesAccount;
  positions?: FakePosition[];
}

export class FakeExchange {
  readonly prices = new Map<string, number>();
  readonly openPrices = new Map<string, number>();
  /** V1 accounts by API key. */
  readonly accounts = new Map<string, FakeAccountData & { secret: string }>();
  /** V3 API wallets by signer address (lowercase): the account they act for, and its main wallet when set. */
  readonly wallets = new Map<string, FakeAccountData & { user?: string }>();
  /** Nonces seen, per signer (lowercase): a reused one is refused, as Aster does. */
  readonly usedNonces = new Map<string, Set<string>>();
  /** How far the exchange's clock is from this machine's (ms): a client must sync to it. */
  clockOffsetMs = 0;
  /**
   * The price history klines are served from: a symbol's close of the 1-minute candle opening
   * at `openTime` (ms), or undefined before the symbol existed. Coarser candles close at the
   * close of their last minute, as real ones do.
   */
  klineClose: ((symbol: string, openTime: number) => number | undefined) | null = null;
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
      case '/fapi/v1/time':
        return send(res, 200, { serverTime: this.serverNow() });
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
      case '/api/v1/klines':
        return this.klines(url, res);
      case '/api/v1/account':
        return this.v1(req, url, res, (account) => ({ canTrade: true, balances: account.balances }));
      case '/fapi/v4/account':
        return this.v1(req, url, res, futuresAccount);
      case '/fapi/v2/positionRisk':
        return this.v1(req, url, res, positionRisk);
      case '/api/v3/account':
        return this.v3(url, res, (account) => ({ canTrade: true, balances: account.balances }));
      case '/fapi/v3/accountWithJoinMargin':
        return this.v3(url, res, futuresAccount);
      case '/fapi/v3/positionRisk':
        return this.v3(url, res, positionRisk);
      default:
        return send(res, 404, { code: -1, msg: 'not found' });
    }
  }

  private klines(url: URL, res: ServerResponse): void {
    const symbol = url.searchParams.get('symbol') ?? '';
    const step = KLINE_STEPS[url.searchParams.get('interval') ?? ''];
    if (step === undefined) return send(res, 400, { code: -1120, msg: 'Invalid interval.' });
    if (this.klineClose === null || !this.prices.has(symbol)) return send(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    const limit = Math.min(1500, Number(url.searchParams.get('limit') ?? 500));
    const start = Math.ceil(Number(url.searchParams.get('startTime') ?? 0) / step) * step;
    const end = Math.min(Number(url.searchParams.get('endTime') ?? this.serverNow()), this.serverNow());
    const rows: unknown[] = [];
    for (let open = start; open <= end && rows.length < limit; open += step) {
      const close = this.klineClose(symbol, open + step - 60_000);
      if (close === undefined) continue;
      const text = String(close);
      rows.push([open, text, text, text, text, '1.0', open + step - 1, '1.0', 1, '0.5', '0.5', '0']);
    }
    return send(res, 200, rows);
  }

  /** The exchange's clock. */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Registers an API wallet for `data`'s account. */
  addWallet(signer: string, data: FakeAccountData & { user?: string }): void {
    this.wallets.set(signer.toLowerCase(), data);
  }

  /**
   * A V3 request: the signer recovered from the EIP-712 signature of exactly the query
   * before `&signature=` must be the `signer` parameter and a registered API wallet (and act
   * for `user` when given); the nonce (µs) within 10 s of this exchange's clock and new.
   */
  private async v3(url: URL, res: ServerResponse, answer: (account: FakeAccountData) => unknown | null): Promise<void> {
    const query = url.search.slice(1);
    const at = query.lastIndexOf('&signature=');
    if (at < 0) return send(res, 400, { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." });
    const msg = query.slice(0, at);
    const signature = decodeURIComponent(query.slice(at + '&signature='.length));
    const params = new URLSearchParams(msg);
    const signer = params.get('signer') ?? '';
    const wallet = this.wallets.get(signer.toLowerCase());
    if (wallet === undefined) return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    let recovered: string;
    try {
      recovered = await recoverTypedDataAddress({
        domain: ASTER_SIGNING_DOMAIN,
        types: ASTER_SIGNING_TYPES,
        primaryType: 'Message',
        message: { msg },
        signature: signature as Hex,
      });
    } catch {
      return send(res, 400, { code: -1022, msg: 'Signature for this request is not valid.' });
    }
    if (recovered.toLowerCase() !== signer.toLowerCase()) return send(res, 400, { code: -1022, msg: 'Signature for this request is not valid.' });
    const user = params.get('user');
    if (user !== null && wallet.user !== undefined && user.toLowerCase() !== wallet.user.toLowerCase()) {
      return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    }
    const nonce = params.get('nonce') ?? '';
    if (!/^\d{16}$/.test(nonce) || Math.abs(Number(nonce) / 1000 - this.serverNow()) > 10_000) {
      return send(res, 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    }
    const seen = this.usedNonces.get(signer.toLowerCase()) ?? new Set<string>();
    this.usedNonces.set(signer.toLowerCase(), seen);
    if (seen.has(nonce)) return send(res, 400, { code: -4225, msg: 'Nonce Expired' });
    seen.add(nonce);
    const body = answer(wallet);
    return body === null ? send(res, 400, { code: -2015, msg: 'This account has no futures side.' }) : send(res, 200, body);
  }

  private v1(req: IncomingMessage, url: URL, res: ServerResponse, answer: (account: FakeAccountData) => unknown | null): void {
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
    const now = this.serverNow();
    if (!(timestamp < now + 1000 && now - timestamp <= recvWindow)) {
      return send(res, 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    }
    const body = answer(account);
    return body === null ? send(res, 400, { code: -2015, msg: 'This account has no futures side.' }) : send(res, 200, body);
  }
}

const KLINE_STEPS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};

function futuresAccount(account: FakeAccountData): unknown {
  if (account.futures === undefined) return null;
  return { feeTier: 0, canTrade: true, assets: [], positions: [], ...account.futures };
}

function positionRisk(account: FakeAccountData): unknown {
  if (account.futures === undefined && account.positions === undefined) return null;
  return account.positions ?? [];
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', 'X-MBX-USED-WEIGHT-1M': '10', ...headers });
  res.end(text);
}
