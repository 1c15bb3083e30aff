/**
 * @module modes/market — spot prices of chosen assets, one subject per asset.
 */
import type { MonitorConfig } from '../config/index.js';
import { marketEvent } from '../events/index.js';
import type { SubjectState } from '../store/index.js';
import type { BaselineInputs, Mode, MonitorCheck, RoundInputs } from './mode.js';
import { isFresh, startingPoint } from './previous.js';

export const marketMode: Mode = {
  name: 'market',

  collectBaselineSymbols(monitor, states, inputs, into) {
    for (const subject of monitor.assets) {
      if (!isFresh(states.get(subject.asset), inputs.checkedAt)) into.add(subject.symbol);
    }
  },

  check(monitor: MonitorConfig, states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs, baseline: BaselineInputs): MonitorCheck {
    const result: MonitorCheck = { monitor: monitor.name, states: [], events: [], subjects: [], errors: [], warnings: [] };
    for (const subject of monitor.assets) {
      const current = inputs.prices.price(subject.symbol);
      if (current === undefined) {
        result.errors.push(`no price for ${subject.symbol} in the exchange's ticker; is ${subject.asset} listed against USDT?`);
        continue;
      }
      const start = startingPoint(states.get(subject.asset), inputs.checkedAt, () => baseline.openPrice(subject.symbol) ?? null);
      if (start.previousFrom === 'none' && subject.condition.needsPrevious) {
        result.warnings.push(`${subject.symbol}: no 24-hour baseline; "${subject.condition.source}" is not evaluable until the next check`);
      }
      const evaluation = subject.condition.evaluate({ current, previous: start.previous, armed: start.armed });
      result.subjects.push({ subject: subject.asset, current, previous: start.previous, previousFrom: start.previousFrom, evaluation });
      result.states.push({ monitor: monitor.name, subject: subject.asset, value: current, previous: start.previous, armed: evaluation.armed, checkedAt: inputs.checkedAt });
      if (evaluation.fires) {
        const severity = subject.condition.severity({ mode: 'market', current, previous: start.previous });
        result.events.push(marketEvent(
          { monitor: monitor.name, condition: subject.condition.source, severity, roundTime: inputs.roundTime, checkedAt: new Date(inputs.checkedAt) },
          { asset: subject.asset, symbol: subject.symbol, current, previous: start.previous },
        ));
      }
    }
    return result;
  },
};
