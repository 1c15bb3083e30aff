/**
 * @module modes/market/check — one subject per asset: its price against its condition.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck, type SubjectOutcome } from '../mode.js';
import { isFresh, startingPoint } from '../previous.js';
import { marketEvent } from './event.js';
import { marketSeverity } from './severity.js';
import type { MarketSettings } from './settings.js';

export function bindMarket(monitor: MonitorConfig<MarketSettings>, sources: SourceCatalog): PolledCheck {
  const { assets } = monitor.settings;
  const prices = sources.prices;
  return {
    needs: [prices],

    baselineSymbols(states, inputs, into) {
      for (const subject of assets) {
        if (!isFresh(states.get(subject.asset), inputs.checkedAt)) into.add(subject.symbol);
      }
    },

    check(states, inputs) {
      const result = emptyCheck(monitor.name);
      const snapshot = inputs.read(prices);
      for (const subject of assets) {
        const current = snapshot.price(subject.symbol);
        if (current === undefined) {
          result.errors.push(
            snapshot.problem(subject.symbol)?.message ?? `no price for ${subject.symbol} in the exchange's ticker; is ${subject.asset} listed against USDT?`,
          );
          continue;
        }
        const start = startingPoint(states.get(subject.asset), inputs.checkedAt, () => inputs.baseline.openPrice(subject.symbol) ?? null);
        if (start.previousFrom === 'none' && subject.condition.needsPrevious) {
          result.warnings.push(`${subject.symbol}: no 24-hour baseline; "${subject.condition.source}" is not evaluable until the next check`);
        }
        const evaluation = subject.condition.test(current, start.previous, start.armed);
        const outcome: SubjectOutcome = { subject: subject.asset, current, previous: start.previous, previousFrom: start.previousFrom, evaluation };
        result.subjects.push(outcome);
        // The lifecycle's reminders and resolved notices carry this check's measures.
        if (monitor.alerting.active)
          outcome.raise = (discriminator) =>
            marketEvent(
              {
                monitor: monitor.name,
                condition: subject.condition.source,
                severity: subject.condition.severity({ current, previous: start.previous }, marketSeverity),
                roundTime: inputs.roundTime,
                checkedAt: new Date(inputs.checkedAt),
                discriminator,
              },
              { asset: subject.asset, symbol: subject.symbol, current, previous: start.previous },
            );
        result.states.push({
          monitor: monitor.name,
          subject: subject.asset,
          value: current,
          previous: start.previous,
          armed: evaluation.armed,
          checkedAt: inputs.checkedAt,
          version: 0, // set by the round (see StateWrite)
        });
        if (evaluation.fires) {
          const severity = subject.condition.severity({ current, previous: start.previous }, marketSeverity);
          result.events.push(
            marketEvent(
              { monitor: monitor.name, condition: subject.condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
              { asset: subject.asset, symbol: subject.symbol, current, previous: start.previous },
            ),
          );
        }
      }
      return result;
    },
  };
}
