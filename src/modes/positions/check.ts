/**
 * @module modes/positions/check — one subject per open position of the account, measured and
 * evaluated each round; the state of a position that closed is dropped, so one that reopens
 * starts fresh (aster-accounts.md §5). A one-way position that flipped between two checks
 * (long to short) was closed and reopened: it starts fresh too.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { Position } from '../../exchange/index.js';
import type { SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck, type SubjectOutcome } from '../mode.js';
import { startingPoint } from '../previous.js';
import { positionsEvent } from './event.js';
import { directionOf, measureOf, notEvaluable, subjectOf } from './measure.js';
import { positionsSeverity } from './severity.js';
import type { PositionsSettings } from './settings.js';
import { distanceSentence, usdPrice } from './words.js';

export function bindPositions(monitor: MonitorConfig<PositionsSettings>, sources: SourceCatalog): PolledCheck {
  const { settings } = monitor;
  const positions = sources.positions(settings.credentials);
  const watched = settings.symbols === null ? null : new Set(settings.symbols);
  /** Subjects already warned about as not evaluable (once each, until they are measured again). */
  const warned = new Set<string>();
  /** Each open position's direction at its last check in this process: a one-way flip is a new position. */
  const directions = new Map<string, 'long' | 'short'>();
  return {
    needs: [positions],

    check(states, inputs) {
      const result = emptyCheck(monitor.name);
      const open = new Set<string>();
      const flipped = new Set<string>();
      for (const position of inputs.read(positions)) {
        if (watched !== null && !watched.has(position.symbol)) continue;
        const subject = subjectOf(position);
        if (open.has(subject)) {
          result.errors.push(`the exchange listed position ${subject} twice; it is not evaluated this round`);
          continue;
        }
        open.add(subject);
        const direction = directionOf(position);
        const before = directions.get(subject);
        directions.set(subject, direction);
        if (before !== undefined && before !== direction) flipped.add(subject);
        const x = measureOf(settings.measure, position);
        if (x === null) {
          // Not evaluable: its state (armed, previous) stays as it was (conditions.md §3).
          if (!warned.has(subject)) result.warnings.push(`${subject}: ${settings.measure} is not evaluable: ${notEvaluable(settings.measure)}`);
          warned.add(subject);
          continue;
        }
        warned.delete(subject);
        // A new position has no previous value: there is no 24 h baseline of a position.
        const start = startingPoint(flipped.has(subject) ? undefined : states.get(subject), inputs.checkedAt, () => null);
        const evaluation = settings.condition.test(x, start.previous, start.armed);
        const outcome: SubjectOutcome = {
          subject,
          current: x,
          previous: start.previous,
          previousFrom: start.previousFrom,
          evaluation,
          detail: detailOf(position),
        };
        result.subjects.push(outcome);
        // The lifecycle's reminders and resolved notices carry this check's measures.
        if (monitor.alerting.active)
          outcome.raise = (discriminator) =>
            positionsEvent(
              {
                monitor: monitor.name,
                condition: settings.condition.source,
                severity: settings.condition.severity({ current: x, previous: start.previous }, positionsSeverity),
                roundTime: inputs.roundTime,
                checkedAt: new Date(inputs.checkedAt),
                discriminator,
              },
              subject,
              position,
              { measure: settings.measure, value: x, previous: start.previous },
            );
        result.states.push({
          monitor: monitor.name,
          subject,
          value: x,
          previous: start.previous,
          armed: evaluation.armed,
          checkedAt: inputs.checkedAt,
          version: 0,
        });
        if (evaluation.fires) {
          const severity = settings.condition.severity({ current: x, previous: start.previous }, positionsSeverity);
          result.events.push(
            positionsEvent(
              { monitor: monitor.name, condition: settings.condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
              subject,
              position,
              { measure: settings.measure, value: x, previous: start.previous },
            ),
          );
        }
      }
      // Closed positions: their state goes, so a reopened one starts fresh. (A flipped one's
      // state is overwritten above, from scratch; one flipped and not evaluable loses its old state.)
      for (const subject of states.keys())
        if (!open.has(subject) || (flipped.has(subject) && !result.states.some((s) => s.subject === subject))) result.forget.push(subject);
      for (const subject of directions.keys()) if (!open.has(subject)) directions.delete(subject);
      for (const subject of warned) if (!open.has(subject)) warned.delete(subject);
      return result;
    },
  };
}

/** The position in words for the dashboard: size, prices, and how far it is from liquidation. */
function detailOf(position: Position): string {
  const direction = directionOf(position);
  const liquidation = position.liquidationPrice === 0 ? null : position.liquidationPrice;
  const size = `${Math.abs(position.positionAmt)} @ ${usdPrice(position.entryPrice)}, ${position.leverage}x ${position.marginType}`;
  return `${distanceSentence(position.symbol, direction, position.markPrice, liquidation)} · mark ${usdPrice(position.markPrice)} · ${size}`;
}
