/**
 * @module modes/liquidations/per-liquidation — a monitor without `window`: each liquidation on its own.
 *
 * Every stored liquidation that matches is measured (x = its USD value) and evaluated; when
 * the condition holds it raises one event, whose id comes from the monitor and the
 * liquidation. No state: nothing is remembered between liquidations.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { StreamCatalog } from '../../streams/catalog.js';
import type { Liquidation } from '../../streams/liquidations/liquidation.js';
import { emptyCheck, type StreamedCheck, type SubjectOutcome } from '../mode.js';
import { liquidationEvent } from './event.js';
import { ANY, matcher, type LiquidationSettings } from './settings.js';
import { liquidationSeverity } from './severity.js';

/**
 * At a restart, liquidations recorded since shortly before the last committed batch are
 * evaluated again: those the crash kept from their monitors raise their events now, those
 * already evaluated raise nothing new (same id). The margin covers the time between a
 * liquidation's trade and its arrival.
 */
export const RESUME_MARGIN_MS = 60_000;

export function bindPerLiquidation(monitor: MonitorConfig<LiquidationSettings>, streams: StreamCatalog): StreamedCheck<Liquidation> {
  const { settings } = monitor;
  const venues = settings.venues ?? [...streams.liquidationVenues];
  const matches = matcher(settings, venues);
  const { condition } = settings;
  return {
    streams: venues.map((venue) => streams.liquidations(venue)),
    historySince: ({ lastBatchAt }) => (lastBatchAt === null ? null : lastBatchAt - RESUME_MARGIN_MS),
    resume: (history) => history.filter(matches),
    onBatch(_states, batch) {
      const result = emptyCheck(monitor.name);
      const seen = new Set<string>();
      const checkedAt = new Date(batch.at);
      // One outcome per subject and batch (its biggest liquidation), for the dashboard's recent points:
      // a thousand monitors times every liquidation would be garbage, not information.
      const biggest = new Map<string, SubjectOutcome>();
      for (const l of batch.items) {
        if (!matches(l) || seen.has(l.id)) continue;
        seen.add(l.id);
        const evaluation = condition.test(l.notionalUsd, null, true);
        const subject = settings.symbols === null ? ANY : l.symbol;
        const shown = biggest.get(subject);
        if (shown === undefined || shown.current < l.notionalUsd)
          biggest.set(subject, { subject, current: l.notionalUsd, previous: null, previousFrom: 'none', evaluation });
        if (!evaluation.fires) continue;
        const severity = condition.severity({ current: l.notionalUsd, previous: null }, liquidationSeverity);
        result.events.push(liquidationEvent({ monitor: monitor.name, condition: condition.source, severity, checkedAt }, l));
      }
      result.subjects.push(...biggest.values());
      return result;
    },
  };
}
