/**
 * Liquidations for tests: a deterministic generator, frames as the exchange sends them,
 * and a reference computation over plain arrays (what every store and route must agree with).
 */
import type { Liquidation, LiquidationSide, Venue } from '../../src/streams/liquidations/liquidation.js';

/** A small deterministic PRNG (mulberry32), so generated data is the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'DOGEUSDT', 'ASTERUSDT'];

/** `count` liquidations spread over [from, to), with prices and quantities of realistic sizes. */
export function generate(count: number, from: number, to: number, seed = 1): Liquidation[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const symbol = SYMBOLS[Math.floor(next() * SYMBOLS.length)]!;
    const price = Math.round((10 + next() * 60_000) * 100) / 100;
    const quantity = Math.round(next() * 5000) / 1000 + 0.001;
    const venue: Venue = next() < 0.8 ? 'aster' : 'binance';
    const side: LiquidationSide = next() < 0.5 ? 'long' : 'short';
    return {
      id: `gen-${seed}-${i}`,
      venue,
      symbol,
      asset: symbol.replace(/USDT$/, ''),
      side,
      price,
      priceText: String(price),
      quantity,
      notionalUsd: price * quantity,
      time: Math.floor(from + next() * (to - from)),
    };
  });
}

export interface Filter {
  since: number;
  until: number;
  venue?: Venue;
  symbol?: string;
  side?: LiquidationSide;
}

export function matching(rows: readonly Liquidation[], f: Filter): Liquidation[] {
  return rows.filter(
    (l) =>
      l.time >= f.since &&
      l.time <= f.until &&
      (f.venue === undefined || l.venue === f.venue) &&
      (f.symbol === undefined || l.symbol === f.symbol) &&
      (f.side === undefined || l.side === f.side),
  );
}

/** Plain sums, as a user would compute them from the rows. */
export function reference(rows: readonly Liquidation[]) {
  let total = 0;
  let long = 0;
  let short = 0;
  let longCount = 0;
  let largest = 0;
  for (const l of rows) {
    total += l.notionalUsd;
    if (l.side === 'long') {
      long += l.notionalUsd;
      longCount++;
    } else short += l.notionalUsd;
    largest = Math.max(largest, l.notionalUsd);
  }
  return { total, long, short, count: rows.length, longCount, shortCount: rows.length - longCount, largest };
}

/** A `forceOrder` frame for a liquidation's fields, as the exchange sends it. */
export function frame(fields: { s: string; S: 'SELL' | 'BUY'; q: string; p: string; ap?: string; z?: string; T: number; X?: string }): string {
  return JSON.stringify({
    e: 'forceOrder',
    E: fields.T + 5,
    o: {
      s: fields.s,
      S: fields.S,
      o: 'LIMIT',
      f: 'IOC',
      q: fields.q,
      p: fields.p,
      ap: fields.ap ?? fields.p,
      X: fields.X ?? 'FILLED',
      l: fields.z ?? fields.q,
      z: fields.z ?? fields.q,
      T: fields.T,
    },
  });
}
