/**
 * @module demo/simulation — a market that moves, for `asterwatch demo`: prices on a random walk
 * with the odd jump, an open position whose mark price follows, and a liquidation stream with
 * bursts (a cascade every half minute or so). Seeded, so two demos tell the same story.
 */
import type { FakeExchange, FakePosition } from '../testing/fake-exchange.js';
import type { FakeStreamServer } from '../testing/fake-stream.js';
import { DEMO_API_KEY, DEMO_API_SECRET } from './demo-config.js';

/** Symbols, their starting price, and their open 24 hours ago. */
const MARKET: ReadonlyArray<readonly [string, number, number]> = [
  ['BTCUSDT', 97_000, 94_000],
  ['ETHUSDT', 3_150, 3_100],
  ['SOLUSDT', 180, 182],
  ['DOGEUSDT', 0.31, 0.3],
  ['ASTERUSDT', 1.2, 1.15],
  ['XRPUSDT', 2.4, 2.45],
];

const TICK_MS = 1000;

export class DemoMarket {
  private readonly prices = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private seed = 20261122;
  private readonly position: FakePosition = {
    symbol: 'BTCUSDT',
    positionAmt: '0.5',
    entryPrice: '99000',
    markPrice: '97000',
    liquidationPrice: '94500',
    unRealizedProfit: '-1000',
    leverage: '25',
    marginType: 'isolated',
    positionSide: 'BOTH',
  };

  constructor(
    private readonly exchange: FakeExchange,
    private readonly stream: FakeStreamServer,
  ) {
    for (const [symbol, price, open] of MARKET) {
      this.prices.set(symbol, price);
      exchange.setPrice(symbol, price, open);
    }
    exchange.accounts.set(DEMO_API_KEY, {
      secret: DEMO_API_SECRET,
      balances: [{ asset: 'USDT', free: '10000', locked: '0' }],
      futures: { totalMarginBalance: '12500.00', totalWalletBalance: '13500.00', totalUnrealizedProfit: '-1000.00' },
      positions: [this.position],
    });
  }

  start(): void {
    this.timers.push(setInterval(() => this.move(), TICK_MS));
    // A liquidation now and then, and a burst every 20–40 s (the first after 8 s).
    this.timers.push(setInterval(() => this.liquidate(this.random() < 0.3 ? 20_000 + this.random() * 80_000 : 1_000 + this.random() * 15_000), 1500));
    const burst = (delay: number) => {
      const timer = setTimeout(() => {
        this.burst();
        burst(20_000 + this.random() * 20_000);
      }, delay);
      this.timers.push(timer);
    };
    burst(8000);
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** A random walk (±0.15% a second), with a 1% jump one tick in fifty. */
  private move(): void {
    for (const [symbol, price] of this.prices) {
      const jump = this.random() < 0.02 ? (this.random() < 0.5 ? -0.01 : 0.01) : 0;
      const next = price * (1 + (this.random() - 0.5) * 0.003 + jump);
      this.prices.set(symbol, next);
      this.exchange.setPrice(symbol, Number(next.toPrecision(8)));
    }
    const btc = this.prices.get('BTCUSDT')!;
    this.position.markPrice = btc.toFixed(2);
    this.position.unRealizedProfit = ((btc - Number(this.position.entryPrice)) * Number(this.position.positionAmt)).toFixed(2);
  }

  /** Fifteen to thirty liquidations within three seconds, mostly longs of one symbol. */
  private burst(): void {
    const symbols = [...this.prices.keys()];
    const symbol = symbols[Math.floor(this.random() * symbols.length)]!;
    const count = 15 + Math.floor(this.random() * 15);
    for (let i = 0; i < count; i++) {
      const timer = setTimeout(() => this.liquidate(10_000 + this.random() * 60_000, symbol, this.random() < 0.85 ? 'SELL' : 'BUY'), this.random() * 3000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** One liquidation frame as Aster's `!forceOrder@arr` stream sends it. */
  private liquidate(usd: number, symbol?: string, side?: 'SELL' | 'BUY'): void {
    const symbols = [...this.prices.keys()];
    const s = symbol ?? symbols[Math.floor(this.random() * symbols.length)]!;
    const price = this.prices.get(s)!;
    const quantity = usd / price;
    const now = Date.now();
    this.stream.broadcast({
      e: 'forceOrder',
      E: now,
      o: {
        s,
        S: side ?? (this.random() < 0.5 ? 'SELL' : 'BUY'),
        o: 'LIMIT',
        f: 'IOC',
        q: quantity.toPrecision(6),
        p: price.toPrecision(8),
        ap: price.toPrecision(8),
        X: 'FILLED',
        l: quantity.toPrecision(6),
        z: quantity.toPrecision(6),
        T: now,
      },
    });
  }

  /** A small seeded generator (mulberry32): the demo needs variety, not cryptography. */
  private random(): number {
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
