/**
 * @module modes/positions — the account's own open futures positions, one subject per
 * position, measured by their distance to liquidation, unrealised profit or return on
 * margin (aster-accounts.md §5).
 */
import { compileCondition } from '../../condition/index.js';
import type { Mode } from '../mode.js';
import { bindPositions } from './check.js';
import { describePositionsCondition, measureOption, POSITIONS_EXPLAIN_FLAGS } from './describe.js';
import { POSITIONS_EVENT_TYPE } from './event.js';
import { checkPositionsFields, positionsFields } from './fields.js';
import { MEASURE_NOUNS } from './measure.js';
import { buildPositionsSettings, type PositionsSettings } from './settings.js';
import { positionsSeverity } from './severity.js';
import { renderPositionsTelegram } from './telegram.js';
import { positionsVenues, unknownPositionSymbols } from './verify.js';

export type { PositionsSettings } from './settings.js';
export { positionsEvent, POSITIONS_EVENT_TYPE, type PositionsEventData } from './event.js';

const VALUE_HEADINGS = { liquidation_distance: '% to liquidation', unrealized_pnl: 'PnL (USD)', roe: 'ROE %' } as const;

export const positionsMode: Mode<PositionsSettings> = {
  name: 'positions',
  summary: "the account's open futures positions: distance to liquidation, unrealised PnL or return on margin",
  fields: positionsFields,
  checkFields: checkPositionsFields,
  build: (fields, ctx) => buildPositionsSettings(fields, ctx, compileCondition),
  futuresVenuesOf: (monitor) => positionsVenues(monitor),
  verifyAgainstFutures: (monitor, listings) => unknownPositionSymbols(monitor, listings),
  // Open positions are found at run time: each one with a state (evaluated at the last check).
  subjects: (monitor, states) =>
    [...states.keys()].sort().map((subject) => ({ subject, symbol: subject.split(':')[0]!, condition: monitor.settings.condition })),
  noun: MEASURE_NOUNS.liquidation_distance,
  valueHeading: (monitor) => VALUE_HEADINGS[monitor.settings.measure],
  describe: describePositionsCondition,
  explainFlags: POSITIONS_EXPLAIN_FLAGS,
  refuseInExplain: (_condition, options) => {
    measureOption(options);
    return null;
  },
  severity: positionsSeverity,
  eventType: POSITIONS_EVENT_TYPE,
  renderTelegram: renderPositionsTelegram,
  driver: { kind: 'polled', bind: bindPositions },
  notReplayable: () => 'the exchange keeps no history of positions',
  conditionsOf: (settings) => [settings.condition],
};
