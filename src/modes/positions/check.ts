/**
 * @module modes/positions/check — one subject per open position of the account, measured and
 * evaluated each round; the state of a position that closed is dropped, so one that reopens
 * starts fresh (aster-accounts.md §5).
 */
import type { MonitorConfig } from '../../config/model.js';
import type { Position } from '../../exchange/index.js';
import type { SourceCatalog } from '../../sources/index.js';
import { emptyCheck, type PolledCheck } from '../mode.js';
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
  return {
    needs: [positions],

    check(states, inputs) {
      const result = emptyCheck(monitor.name);
      const open = new Set<string>();
      const evaluated = new Set<string>();
      for (const position of inputs.read(positions)) {
        if (watched !== null && !watched.has(position.symbol)) continue;
        const subject = subjectOf(position);
        if (open.has(subject)) {
          result.errors.push(`the exchange listed position ${subject} twice; it is not evaluated this round`);
          continue;
        }
        open.add(subject);
        const x = measureOf(settings.measure, position);
        if (x === null) {
          // Kept in state only when evaluable: a position that gets a liquidation price later starts fresh then.
          result.warnings.push(`${subject}: ${settings.measure} is not evaluable: ${notEvaluable(settings.measure)}`);
          continue;
        }
        // A new position has no previous value: there is no 24 h baseline of a position.
        const start = startingPoint(states.get(subject), inputs.checkedAt, () => null);
        const evaluation = settings.condition.evaluate({ current: x, previous: start.previous, armed: start.armed });
        result.subjects.push({ subject, current: x, previous: start.previous, previousFrom: start.previousFrom, evaluation, detail: detailOf(position) });
        evaluated.add(subject);
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
      // Closed (or no longer evaluable) positions: their state goes, so a reopened one starts fresh.
      for (const subject of states.keys()) if (!evaluated.has(subject)) result.forget.push(subject);
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
