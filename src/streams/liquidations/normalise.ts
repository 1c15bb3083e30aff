/**
 * @module streams/liquidations/normalise — a `forceOrder` frame into a Liquidation (liquidations.md §1).
 *
 * A frame that is not JSON, not a forceOrder, or has a missing, non-numeric or
 * non-positive price or quantity is malformed: MalformedFrameError, so the stream drops
 * and counts it. Nothing here can produce NaN: every number is checked finite and above 0.
 */
import { createHash } from 'node:crypto';
import { MalformedFrameError } from '../reconnecting-stream.js';
import type { Liquidation, Venue } from './liquidation.js';

/** Quote suffixes, the first that ends the symbol wins (so BTCUSDT is BTC, not BTCUSD+T). */
const QUOTES = ['USDT', 'USDC', 'FDUSD', 'USD1', 'USD'] as const;

/** Frames are a few hundred bytes; a bigger one is not a liquidation. */
const MAX_FRAME = 8192;

/** `BTCUSDT` → `BTC`: the symbol less the first quote suffix that ends it. */
export function assetOf(symbol: string): string {
  for (const quote of QUOTES) {
    if (symbol.length > quote.length && symbol.endsWith(quote)) return symbol.slice(0, -quote.length);
  }
  return symbol;
}

/** A decimal string as the exchange writes it ("9910", "0.014"). */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function decimal(value: unknown, field: string): { number: number; text: string } {
  if (typeof value !== 'string' || value.length > 40 || !DECIMAL.test(value)) throw new MalformedFrameError(`${field} is not a decimal string`);
  const number = Number(value);
  if (!Number.isFinite(number)) throw new MalformedFrameError(`${field} is not a finite number`);
  return { number, text: value };
}

function text(value: unknown, field: string, max = 40): string {
  if (typeof value !== 'string' || value === '' || value.length > max) throw new MalformedFrameError(`${field} is missing or not a string`);
  return value;
}

/**
 * The frame's liquidations (one object, as the @arr stream sends; a list of them is read
 * too); throws MalformedFrameError naming what is wrong.
 */
export function normaliseFrame(venue: Venue, frame: string): Liquidation[] {
  if (frame.length > MAX_FRAME) throw new MalformedFrameError(`frame of ${frame.length} characters`);
  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch {
    throw new MalformedFrameError('not JSON');
  }
  if (Array.isArray(message)) {
    if (message.length > 100) throw new MalformedFrameError(`a list of ${message.length} messages`);
    return message.map((one) => normaliseMessage(venue, one));
  }
  return [normaliseMessage(venue, message)];
}

/** One `forceOrder` message as a Liquidation. */
export function normaliseMessage(venue: Venue, message: unknown): Liquidation {
  if (message === null || typeof message !== 'object') throw new MalformedFrameError('not an object');
  const { e, o } = message as { e?: unknown; o?: unknown };
  if (e !== 'forceOrder') throw new MalformedFrameError('not a forceOrder message');
  if (o === null || typeof o !== 'object') throw new MalformedFrameError('o is missing');
  const order = o as Record<string, unknown>;
  const symbol = text(order.s, 'o.s');
  if (!/^[A-Z0-9]{2,30}$/.test(symbol)) throw new MalformedFrameError('o.s is not a symbol');
  if (order.S !== 'SELL' && order.S !== 'BUY') throw new MalformedFrameError('o.S is not SELL or BUY');
  const time = order.T;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time <= 0) throw new MalformedFrameError('o.T is not a time in ms');

  const p = order.p === undefined ? null : decimal(order.p, 'o.p');
  const ap = order.ap === undefined ? null : decimal(order.ap, 'o.ap');
  const q = order.q === undefined ? null : decimal(order.q, 'o.q');
  const z = order.z === undefined ? null : decimal(order.z, 'o.z');
  // The average price when there is one, else the order price; the filled quantity when there is one, else the order's.
  const price = ap !== null && ap.number > 0 ? ap : p;
  const quantity = z !== null && z.number > 0 ? z : q;
  if (price === null || !(price.number > 0)) throw new MalformedFrameError('no price above 0 (o.ap, o.p)');
  if (quantity === null || !(quantity.number > 0)) throw new MalformedFrameError('no quantity above 0 (o.z, o.q)');
  const notionalUsd = price.number * quantity.number;
  if (!Number.isFinite(notionalUsd)) throw new MalformedFrameError('price × quantity is not finite');

  return {
    id: liquidationId(venue, order),
    venue,
    symbol,
    asset: assetOf(symbol),
    side: order.S === 'SELL' ? 'long' : 'short',
    price: price.number,
    priceText: price.text,
    quantity: quantity.number,
    notionalUsd,
    time,
  };
}

/** Deterministic from (venue, s, S, T, q, p, ap, z, X): the same frame is the same liquidation, however often it arrives. */
function liquidationId(venue: Venue, order: Record<string, unknown>): string {
  const parts = [venue, order.s, order.S, order.T, order.q, order.p, order.ap, order.z, order.X].map((v) => (v === undefined ? '' : String(v)));
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
