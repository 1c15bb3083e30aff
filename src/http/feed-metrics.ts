/**
 * @module http/feed-metrics — the liquidation feed in Prometheus terms, read at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServiceReadModel } from '../service/read-model.js';
import type { Venue } from '../streams/liquidations/liquidation.js';

export function registerFeedMetrics(register: Registry, view: ServiceReadModel, now: () => number = Date.now): void {
  const feed = view.liquidationFeed;
  if (feed === null) return;
  const perVenue = (fn: (venue: Venue) => void) => {
    for (const venue of feed.venues) fn(venue);
  };
  const status = (venue: Venue) => feed.statuses().find((s) => s.feed === venue);
  new Counter({
    name: 'asterwatch_liquidations_total',
    help: 'Liquidations recorded, by venue and liquidated side.',
    labelNames: ['venue', 'side'],
    registers: [register],
    collect() {
      this.reset();
      perVenue((venue) => {
        const counted = feed.counted(venue)!;
        for (const side of ['long', 'short'] as const) this.inc({ venue, side }, counted.liquidations[side]);
      });
    },
  });
  new Counter({
    name: 'asterwatch_liquidation_notional_usd_total',
    help: 'USD liquidated (price x quantity), by venue and liquidated side.',
    labelNames: ['venue', 'side'],
    registers: [register],
    collect() {
      this.reset();
      perVenue((venue) => {
        const counted = feed.counted(venue)!;
        for (const side of ['long', 'short'] as const) this.inc({ venue, side }, counted.notionalUsd[side]);
      });
    },
  });
  new Gauge({
    name: 'asterwatch_feed_connected',
    help: '1 while the venue’s liquidation stream is connected.',
    labelNames: ['venue'],
    registers: [register],
    collect() {
      perVenue((venue) => this.set({ venue }, status(venue)?.connected === true ? 1 : 0));
    },
  });
  new Counter({
    name: 'asterwatch_feed_reconnects_total',
    help: 'Reconnections of the venue’s liquidation stream.',
    labelNames: ['venue'],
    registers: [register],
    collect() {
      this.reset();
      perVenue((venue) => this.inc({ venue }, status(venue)?.reconnects ?? 0));
    },
  });
  new Counter({
    name: 'asterwatch_feed_gap_seconds_total',
    help: 'Seconds without a connection to the venue’s stream, the current outage included.',
    labelNames: ['venue'],
    registers: [register],
    collect() {
      this.reset();
      perVenue((venue) => {
        const current = status(venue);
        const ongoing = current !== undefined && !current.connected ? now() - current.since : 0;
        this.inc({ venue }, (feed.counted(venue)!.gapMs + ongoing) / 1000);
      });
    },
  });
  new Counter({
    name: 'asterwatch_feed_messages_total',
    help: 'Messages from the venue’s stream: ok (new liquidations), duplicate (dropped by id), malformed (dropped).',
    labelNames: ['venue', 'result'],
    registers: [register],
    collect() {
      this.reset();
      perVenue((venue) => {
        const counted = feed.counted(venue)!;
        this.inc({ venue, result: 'ok' }, counted.messages.ok);
        this.inc({ venue, result: 'duplicate' }, counted.messages.duplicate);
        this.inc({ venue, result: 'malformed' }, (status(venue) as { malformed?: number } | undefined)?.malformed ?? 0);
      });
    },
  });
}
