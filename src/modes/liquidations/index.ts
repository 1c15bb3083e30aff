/**
 * @module modes/liquidations — monitors on the recorded liquidation feed (liquidations.md §3):
 * each liquidation on its own, or the volume of a rolling window per symbol (or all together).
 */
import { compileCondition } from '../../condition/index.js';
import type { Mode } from '../mode.js';
import { describeLiquidationCondition, LIQUIDATION_EXPLAIN_FLAGS, refuseLiquidationCondition } from './describe.js';
import { LIQUIDATION_EVENT_TYPE, WINDOW_EVENT_TYPE } from './event.js';
import { checkLiquidationFields, liquidationFields } from './fields.js';
import { bindPerLiquidation } from './per-liquidation.js';
import { ALL, ANY, buildLiquidationSettings, type LiquidationSettings } from './settings.js';
import { liquidationSeverity } from './severity.js';
import { renderLiquidationTelegram } from './telegram.js';
import { futuresVenuesOf, unknownSymbols } from './verify.js';
import { bindWindow } from './window-check.js';

export type { LiquidationSettings } from './settings.js';
export { LIQUIDATION_EVENT_TYPE, WINDOW_EVENT_TYPE, type LiquidationEventData, type WindowEventData } from './event.js';

export const liquidationsMode: Mode<LiquidationSettings> = {
  name: 'liquidations',
  summary: 'liquidations on the recorded feed: each one, or the volume of a rolling window',
  fields: liquidationFields,
  checkFields: checkLiquidationFields,
  build: (fields, ctx) => buildLiquidationSettings(fields, ctx, compileCondition),
  futuresVenuesOf,
  verifyAgainstFutures: unknownSymbols,
  subjects(monitor, states) {
    const { settings } = monitor;
    const named =
      settings.window !== null && settings.groupBy === 'all' ? [ALL] : (settings.symbols ?? (settings.window === null ? [ANY] : [...states.keys()]));
    return named.map((subject) => ({ subject, symbol: subject === ALL ? null : subject, condition: settings.condition }));
  },
  noun: "a liquidation's USD value",
  describe: describeLiquidationCondition,
  explainFlags: LIQUIDATION_EXPLAIN_FLAGS,
  refuseInExplain: refuseLiquidationCondition,
  severity: liquidationSeverity,
  eventType: LIQUIDATION_EVENT_TYPE,
  otherEventTypes: [WINDOW_EVENT_TYPE],
  renderTelegram: renderLiquidationTelegram,
  // A window drains one window after an item (its level) and two after (the window before, for change conditions).
  replayTicks: (monitor) => (monitor.settings.window === null ? [] : [monitor.settings.window * 1000 + 1, 2 * monitor.settings.window * 1000 + 1]),
  driver: {
    kind: 'streamed',
    bind: (monitor, streams) => (monitor.settings.window === null ? bindPerLiquidation(monitor, streams) : bindWindow(monitor, streams)),
  },
  conditionsOf: (settings) => [settings.condition],
  refuseLifecycle: (settings, field) =>
    settings.window === null
      ? `${field} applies to a condition that holds over time; a per-liquidation monitor raises one alert per liquidation, so nothing resolves or re-arms (use window: N for a rolling window, or repeat_interval for a cooldown)`
      : null,
};
