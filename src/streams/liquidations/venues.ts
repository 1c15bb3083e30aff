/**
 * @module streams/liquidations/venues — where each venue's liquidation stream is (liquidations.md §1).
 */
import { AsterwatchError } from '../../errors.js';
import type { Venue } from './liquidation.js';

export const DEFAULT_STREAM_URLS: Readonly<Record<Venue, string>> = {
  aster: 'wss://fstream.asterdex.com/ws/!forceOrder@arr',
  binance: 'wss://fstream.binance.com/market/ws/!forceOrder@arr',
};

const ENV: Readonly<Record<Venue, string>> = { aster: 'ASTER_WS_URL', binance: 'BINANCE_WS_URL' };

/** A stream URL that is not a WebSocket URL: nothing starts. */
export class StreamUrlError extends AsterwatchError {
  constructor(variable: string, value: string) {
    super(
      'CONFIG_STREAM_URL',
      `${variable} must be a WebSocket URL such as wss://fstream.asterdex.com/ws/!forceOrder@arr; got ${JSON.stringify(value.slice(0, 200))}`,
    );
  }
}

/** The venue's stream URL: its environment variable, else the default; checked to be ws:// or wss://. */
export function streamUrlOf(venue: Venue, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[ENV[venue]];
  const url = configured === undefined || configured === '' ? DEFAULT_STREAM_URLS[venue] : configured;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw new StreamUrlError(ENV[venue], url);
  return url;
}

/** The variable that sets a venue's URL, for messages. */
export function urlVariableOf(venue: Venue): string {
  return ENV[venue];
}
