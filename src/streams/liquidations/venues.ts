/**
 * @module streams/liquidations/venues — where each venue's liquidation stream is (liquidations.md §1).
 */
import type { Venue } from './liquidation.js';

export const DEFAULT_STREAM_URLS: Readonly<Record<Venue, string>> = {
  aster: 'wss://fstream.asterdex.com/ws/!forceOrder@arr',
  binance: 'wss://fstream.binance.com/market/ws/!forceOrder@arr',
};

const ENV: Readonly<Record<Venue, string>> = { aster: 'ASTER_WS_URL', binance: 'BINANCE_WS_URL' };

/** The venue's stream URL: its environment variable, else the default. */
export function streamUrlOf(venue: Venue, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[ENV[venue]];
  return configured === undefined || configured === '' ? DEFAULT_STREAM_URLS[venue] : configured;
}

/** The variable that sets a venue's URL, for messages. */
export function urlVariableOf(venue: Venue): string {
  return ENV[venue];
}
