/**
 * @module modes/market/check — one subject per asset: its price against its condition.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { SourceCatalog } from '../../sources/index.js';
import type { AlertEvent } from '../../events/index.js';
import type { StateWrite } from '../../store/index.js';
import { NOTHING, type PolledCheck, type SubjectOutcome } from '../mode.js';
import { isFresh } from '../previous.js';
import { marketEvent } from './event.js';
import { marketSeverity } from './severity.js';
import type { MarketSettings, MarketSubjectConfig as MarketSubject } from './settings.js';

export function bindMarket(monitor: MonitorConfig<MarketSettings>, sources: SourceCatalog): PolledCheck {
  const { assets } = monitor.settings;
  const prices = sources.prices;
  const buildEvent = (subject: MarketSubject, current: number, previous: number | null, roundTime: number, checkedAt: number, discriminator?: string) =>
    marketEvent(
      {
        monitor: monitor.name,
        condition: subject.condition.source,
        severity: subject.condition.severity({ current, previous }, marketSeverity),
        roundTime,
        checkedAt: new Date(checkedAt),
        ...(discriminator !== undefined && { discriminator }),
      },
      { asset: subject.asset, symbol: subject.symbol, current, previous },
    );
  return {
    needs: [prices],

    baselineSymbols(states, inputs, into) {
      for (const subject of assets) {
        if (!isFresh(states.get(subject.asset), inputs.checkedAt)) into.add(subject.symbol);
      }
    },

    // The hot path of a round (10,000 monitors): no closure or intermediate object per subject,
    // lists sized once, and the shared empty list where nothing happened (about 830 bytes a
    // monitor a round before, most of a quiet round's garbage).
    check(states, inputs) {
      const snapshot = inputs.read(prices);
      const { checkedAt } = inputs;
      const subjects: SubjectOutcome[] = new Array(assets.length);
      const writes: StateWrite[] = new Array(assets.length);
      let evaluated = 0;
      let events: AlertEvent[] = NOTHING;
      let errors: string[] = NOTHING;
      let warnings: string[] = NOTHING;
      for (let a = 0; a < assets.length; a++) {
        const subject = assets[a]!;
        const current = snapshot.price(subject.symbol);
        if (current === undefined) {
          if (errors === NOTHING) errors = [];
          errors.push(
            snapshot.problem(subject.symbol)?.message ?? `no price for ${subject.symbol} in the exchange's ticker; is ${subject.asset} listed against USDT?`,
          );
          continue;
        }
        // conditions.md §5: fresh state gives previous and armed; otherwise the 24 h baseline, armed.
        const state = states.get(subject.asset);
        let previous: number | null;
        let armed: boolean;
        let previousFrom: SubjectOutcome['previousFrom'];
        if (isFresh(state, checkedAt)) {
          previous = state.value;
          armed = state.armed;
          previousFrom = 'state';
        } else {
          previous = inputs.baseline.openPrice(subject.symbol) ?? null;
          armed = true;
          previousFrom = previous === null ? 'none' : 'baseline';
        }
        if (previousFrom === 'none' && subject.condition.needsPrevious) {
          if (warnings === NOTHING) warnings = [];
          warnings.push(`${subject.symbol}: no 24-hour baseline; "${subject.condition.source}" is not evaluable until the next check`);
        }
        const evaluation = subject.condition.test(current, previous, armed);
        const outcome: SubjectOutcome = { subject: subject.asset, current, previous, previousFrom, evaluation };
        // The lifecycle's reminders and resolved notices carry this check's measures.
        if (monitor.alerting.active) outcome.raise = (discriminator) => buildEvent(subject, current, previous, inputs.roundTime, checkedAt, discriminator);
        subjects[evaluated] = outcome;
        writes[evaluated] = {
          monitor: monitor.name,
          subject: subject.asset,
          value: current,
          previous,
          armed: evaluation.armed,
          checkedAt,
          version: 0, // set by the round (see StateWrite)
        };
        evaluated++;
        if (evaluation.fires) {
          if (events === NOTHING) events = [];
          events.push(buildEvent(subject, current, previous, inputs.roundTime, checkedAt));
        }
      }
      if (evaluated < assets.length) {
        subjects.length = evaluated;
        writes.length = evaluated;
      }
      return { monitor: monitor.name, states: writes, forget: NOTHING, events, subjects, errors, warnings };
    },
  };
}
