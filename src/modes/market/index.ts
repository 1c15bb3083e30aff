/**
 * @module modes/market — spot prices of chosen assets, one subject per asset.
 */
import type { Mode } from '../mode.js';
import { bindMarket } from './check.js';
import { MARKET_EVENT_TYPE } from './event.js';
import { checkMarketFields, marketFields } from './fields.js';
import { buildMarketSettings, type MarketSettings } from './settings.js';
import { marketSeverity } from './severity.js';
import { renderMarketTelegram } from './telegram.js';
import { unknownAssets } from './verify.js';

export type { MarketSettings, MarketSubjectConfig } from './settings.js';
export { marketEvent, MARKET_EVENT_TYPE, type MarketEventData } from './event.js';

export const marketMode: Mode<MarketSettings> = {
  name: 'market',
  summary: 'spot prices of chosen assets, one subject per asset',
  fields: marketFields,
  checkFields: checkMarketFields,
  build: (fields, ctx) => buildMarketSettings(fields, ctx),
  verifyAgainstExchange: unknownAssets,
  subjects: (monitor) => monitor.settings.assets.map((a) => ({ subject: a.asset, symbol: a.symbol, condition: a.condition })),
  noun: 'the price',
  severity: marketSeverity,
  eventType: MARKET_EVENT_TYPE,
  renderTelegram: renderMarketTelegram,
  driver: { kind: 'polled', bind: bindMarket },
  conditionsOf: (settings) => settings.assets.map((a) => a.condition),
  withCondition: (settings, condition) => ({ ...settings, assets: settings.assets.map((a) => a.withCondition(condition)) }),
};
