/**
 * @module streams/liquidations/feed-catalog — the service's StreamCatalog: the recorded feed.
 *
 * Monitors are bound before the feed exists (the venues they ask for decide which venues the
 * feed connects to), so the sources handed out here reach the feed only when they start.
 * Their history is what the store recorded: a window monitor rebuilds its windows from it.
 */
import type { LiquidationStore } from '../../store/index.js';
import type { StreamCatalog } from '../catalog.js';
import type { StreamSource } from '../stream-source.js';
import type { LiquidationFeed } from './feed.js';
import type { Liquidation, Venue } from './liquidation.js';

/** The most liquidations one history read holds (two days of a busy market); past it the oldest are left out. */
export const MAX_HISTORY = 2_000_000;
const PAGE = 500;

export class FeedCatalog implements StreamCatalog {
  private readonly requested = new Set<Venue>();
  private feed: LiquidationFeed | null = null;

  constructor(
    readonly liquidationVenues: readonly Venue[],
    private readonly store: LiquidationStore,
    private readonly onTruncated: (venue: Venue, kept: number) => void = () => undefined,
  ) {}

  /** The venues monitors asked for. */
  get venues(): readonly Venue[] {
    return [...this.requested];
  }

  /** The feed the sources listen to (set once it is built). */
  attach(feed: LiquidationFeed): void {
    this.feed = feed;
  }

  liquidations(venue: Venue): StreamSource<Liquidation> {
    this.requested.add(venue);
    let inner: StreamSource<Liquidation> | null = null;
    const feed = () => {
      if (this.feed === null) throw new Error(`the liquidation feed of ${venue} was not started`);
      return this.feed;
    };
    return {
      key: `liquidations:${venue}`,
      start: (listener) => {
        inner = feed().source(venue);
        inner.start(listener);
      },
      stop: async () => inner?.stop(),
      status: () => feed().source(venue).status(),
      history: (since, until) => this.history(venue, since, until),
    };
  }

  /** What the store recorded of `venue` in [since, until], oldest first. */
  private async history(venue: Venue, since: number, until: number): Promise<Liquidation[]> {
    const pages: Liquidation[][] = [];
    let count = 0;
    let before: string | undefined;
    for (;;) {
      const page = await this.store.list({ since, until, venue, limit: PAGE, ...(before === undefined ? {} : { before }) });
      pages.push(page.liquidations);
      count += page.liquidations.length;
      if (page.nextBefore === null) break;
      if (count >= MAX_HISTORY) {
        this.onTruncated(venue, count);
        break;
      }
      before = page.nextBefore;
    }
    return pages.flat().reverse();
  }
}
