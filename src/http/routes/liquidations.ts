/**
 * @module http/routes/liquidations — the recorded liquidation feed over HTTP (liquidations.md §5).
 *
 * Every answer about a range says which feed gaps overlap it (`gaps`, `complete`) — the
 * stored ones and the one going on now for a venue that is not connected — and that the
 * stream is sampled by the exchange (`sampled`: totals are floors).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiquidationFilter, StoredGap } from '../../store/index.js';
import { toItem } from '../../streams/liquidations/liquidation.js';
import type { HttpContext } from '../context.js';
import { parseBefore, parseCount, parseFilter, parseInterval, parseUsd, QueryError } from '../liquidation-query.js';

const MAX_BUCKETS = 2000;

const iso = (ms: number) => new Date(ms).toISOString();
/** Money sums to the cent (each is an exact, compensated sum of the rows). */
const cents = (usd: number) => Math.round(usd * 100) / 100;

export function liquidationRoutes(app: FastifyInstance, { view, now, streams }: HttpContext): void {
  /** A handler whose QueryError becomes a 400 naming the field. */
  const route =
    (handler: (query: Record<string, unknown>, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request.query as Record<string, unknown>, reply);
      } catch (error) {
        if (error instanceof QueryError) return reply.code(400).send({ error: error.message, field: error.field });
        throw error;
      }
    };

  /** Stored gaps over the range, and the gap going on now for a venue that is not connected. */
  const gapsOf = async (filter: LiquidationFilter) => {
    const gaps: StoredGap[] = await view.liquidations.gaps(filter.since, filter.until, filter.venue);
    const at = now();
    for (const status of view.liquidationFeed?.statuses() ?? []) {
      if (status.connected || (filter.venue !== undefined && status.feed !== filter.venue) || status.since > filter.until) continue;
      gaps.push({ venue: status.feed as StoredGap['venue'], start: status.since, end: Math.min(at, filter.until) });
    }
    return { gaps: gaps.map((g) => ({ venue: g.venue, start: iso(g.start), end: iso(g.end) })), complete: gaps.length === 0, sampled: true };
  };

  app.get(
    '/api/liquidations',
    route(async (query) => {
      const filter = parseFilter(query, now());
      const limit = parseCount(query.limit, 'limit', 1, 500, 50);
      const minUsd = parseUsd(query.min_usd, 'min_usd');
      const before = parseBefore(query.before);
      const page = await view.liquidations.list({ ...filter, limit, ...(minUsd === undefined ? {} : { minUsd }), ...(before === undefined ? {} : { before }) });
      return { liquidations: page.liquidations.map(toItem), next_before: page.nextBefore };
    }),
  );

  app.get(
    '/api/liquidations/total',
    route(async (query) => {
      const filter = parseFilter(query, now());
      const t = await view.liquidations.totals(filter);
      return {
        since: iso(filter.since),
        until: iso(filter.until),
        total_usd: cents(t.totalUsd),
        count: t.count,
        long_usd: cents(t.longUsd),
        long_count: t.longCount,
        short_usd: cents(t.shortUsd),
        short_count: t.shortCount,
        largest: t.largest === null ? null : toItem(t.largest),
        ...(await gapsOf(filter)),
      };
    }),
  );

  app.get(
    '/api/liquidations/series',
    route(async (query) => {
      const filter = parseFilter(query, now());
      const seconds = parseInterval(query.interval);
      const interval = seconds * 1000;
      const buckets = Math.floor(filter.until / interval) - Math.floor(filter.since / interval) + 1;
      if (buckets > MAX_BUCKETS)
        throw new QueryError(
          'interval',
          `the range holds ${buckets} buckets of ${seconds} s; at most ${MAX_BUCKETS}: use a longer interval or a shorter range`,
        );
      const series = await view.liquidations.series(filter, interval);
      return {
        interval_seconds: seconds,
        since: iso(filter.since),
        until: iso(filter.until),
        buckets: series.map((b) => ({
          start: iso(b.start),
          total_usd: cents(b.totalUsd),
          long_usd: cents(b.longUsd),
          short_usd: cents(b.shortUsd),
          count: b.count,
          largest_usd: b.largestUsd,
        })),
        ...(await gapsOf(filter)),
      };
    }),
  );

  app.get(
    '/api/liquidations/leaders',
    route(async (query) => {
      const filter = parseFilter(query, now());
      const limit = parseCount(query.limit, 'limit', 1, 100, 10);
      const leaders = await view.liquidations.leaders(filter, limit);
      return {
        since: iso(filter.since),
        until: iso(filter.until),
        symbols: leaders.map((s) => ({
          symbol: s.symbol,
          total_usd: cents(s.totalUsd),
          long_usd: cents(s.longUsd),
          short_usd: cents(s.shortUsd),
          count: s.count,
          largest_usd: s.largestUsd,
        })),
      };
    }),
  );

  // Not in the spec's table: the dashboard's "largest" list (biggest first, `limit` 1–100, default 10).
  app.get(
    '/api/liquidations/largest',
    route(async (query) => {
      const filter = parseFilter(query, now());
      const limit = parseCount(query.limit, 'limit', 1, 100, 10);
      const rows = await view.liquidations.largest(filter, limit);
      return { since: iso(filter.since), until: iso(filter.until), liquidations: rows.map(toItem) };
    }),
  );

  app.get('/api/liquidations/stream', async (request, reply) => {
    let minUsd: number;
    try {
      minUsd = parseUsd((request.query as Record<string, unknown>).min_usd, 'min_usd') ?? 0;
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message, field: error.field });
      throw error;
    }
    const writer = streams.start(request, reply);
    if (writer === null) return;
    const unsubscribe = view.liquidationFeed?.subscribe((rows) => {
      for (const l of rows) if (l.notionalUsd >= minUsd && !writer.send(`event: liquidation\ndata: ${JSON.stringify(toItem(l))}\n\n`)) return;
    });
    if (unsubscribe !== undefined) writer.onClose(unsubscribe);
  });
}
