/**
 * @module streams/catalog — what a pushed mode can listen to, without knowing where it comes from.
 *
 * The service's catalog hands out the recorded liquidation feed's venues (starting the feed
 * for a venue a monitor asks for); a replay can hand out recorded history instead. A mode
 * asks once, when its monitors are bound.
 */
import type { Liquidation, Venue } from './liquidations/liquidation.js';
import type { StreamSource } from './stream-source.js';

export interface StreamCatalog {
  /** The venues the feed records when a monitor names none (the `liquidations:` section's, else aster). */
  readonly liquidationVenues: readonly Venue[];
  /** The stored liquidations of one venue, as they are recorded (and, at start, what was recorded before). */
  liquidations(venue: Venue): StreamSource<Liquidation>;
}
