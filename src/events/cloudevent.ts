/**
 * @module events/cloudevent — the CloudEvents 1.0 envelope and the two event types (events.md).
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../condition/index.js';
import { changeBetween } from './change.js';
import { formatSignedPercent, formatSignedUsd, formatUsd } from './format.js';

export const PORTFOLIO_EVENT_TYPE = 'asterex.portfolio.condition_met';
export const MARKET_EVENT_TYPE = 'asterex.market.condition_met';
export type EventType = typeof PORTFOLIO_EVENT_TYPE | typeof MARKET_EVENT_TYPE;

interface CommonData {
  monitor: string;
  severity: number;
  severity_label: Severity['label'];
}

export interface PortfolioEventData extends CommonData {
  current_value: string;
  condition: string;
  previous_value: string | null;
  change_amount: string | null;
  change_percent: string | null;
  values: {
    current_value: number;
    previous_value: number | null;
    change_amount: number | null;
    change_percent: number | null;
  };
  skipped_assets: string[];
}

export interface MarketEventData extends CommonData {
  asset: string;
  symbol: string;
  current_price: number;
  previous_price: number | null;
  price_change: number | null;
  price_change_amount: number | null;
  condition: string;
}

/** A structured-mode CloudEvent as asterwatch emits it. */
export interface AlertEvent<T = PortfolioEventData | MarketEventData> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** What every event needs to know about the check that raised it. */
export interface CheckContext {
  monitor: string;
  condition: string;
  severity: Severity;
  /** The round's identity: the scheduled slot for `run`, the invocation time for `check` (ms). */
  roundTime: number;
  /** When the check ran. */
  checkedAt: Date;
}

// A fixed namespace so ids are UUIDv5-shaped and stable across versions and hosts.
const ID_NAMESPACE = 'asterwatch/condition_met/v1';

/** Deterministic id: the same (monitor, subject, round time) always gives the same id. */
export function eventId(monitor: string, subject: string, roundTime: number): string {
  const hash = createHash('sha1').update(`${ID_NAMESPACE}\u0000${monitor}\u0000${subject}\u0000${roundTime}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `asterwatch/monitors/<monitor name, URL-encoded>`. */
export function eventSource(monitor: string): string {
  return `asterwatch/monitors/${encodeURIComponent(monitor)}`;
}

function envelope<T>(type: EventType, subject: string, context: CheckContext, data: T): AlertEvent<T> {
  return {
    specversion: '1.0',
    id: eventId(context.monitor, subject, context.roundTime),
    source: eventSource(context.monitor),
    type,
    subject,
    time: context.checkedAt.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

function requireFinite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`refusing to build an event with a non-finite ${what} (${value})`);
  return value;
}

/** Builds `asterex.portfolio.condition_met`. */
export function portfolioEvent(
  context: CheckContext,
  valuation: { current: number; previous: number | null; skippedAssets: readonly string[] },
): AlertEvent<PortfolioEventData> {
  const current = requireFinite(valuation.current, 'portfolio value');
  const previous = valuation.previous !== null && Number.isFinite(valuation.previous) ? valuation.previous : null;
  const change = changeBetween(current, previous);
  return envelope(PORTFOLIO_EVENT_TYPE, 'portfolio', context, {
    current_value: formatUsd(current),
    condition: context.condition,
    previous_value: previous === null ? null : formatUsd(previous),
    change_amount: change.amount === null ? null : formatSignedUsd(change.amount),
    change_percent: change.percent === null ? null : formatSignedPercent(change.percent),
    values: { current_value: current, previous_value: previous, change_amount: change.amount, change_percent: change.percent },
    skipped_assets: [...valuation.skippedAssets],
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}

/** Builds `asterex.market.condition_met` for one asset. */
export function marketEvent(
  context: CheckContext,
  price: { asset: string; symbol: string; current: number; previous: number | null },
): AlertEvent<MarketEventData> {
  const current = requireFinite(price.current, 'price');
  const previous = price.previous !== null && Number.isFinite(price.previous) ? price.previous : null;
  const change = changeBetween(current, previous);
  return envelope(MARKET_EVENT_TYPE, price.asset, context, {
    asset: price.asset,
    symbol: price.symbol,
    current_price: current,
    previous_price: previous,
    price_change: change.percent,
    price_change_amount: change.amount,
    condition: context.condition,
    monitor: context.monitor,
    severity: context.severity.value,
    severity_label: context.severity.label,
  });
}
