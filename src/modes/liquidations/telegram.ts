/**
 * @module modes/liquidations/telegram — liquidation events as Telegram messages (liquidations.md §4).
 *
 * A per-liquidation message starts with exactly the line the trackers post
 * (`🔴 #ETH Long Liquidation: $314.9k @ $4,319.2`); a window message names the subject, the
 * window, the total with its long/short split, and the change against the window before.
 */
import type { AlertEvent } from '../../events/index.js';
import { arrow, escapeHtml, signed, standardMessage } from '../../render/telegram-html.js';
import { compactUsd, liquidationLine } from '../../streams/liquidations/format.js';
import { LIQUIDATION_EVENT_TYPE, type LiquidationEventData, type WindowEventData } from './event.js';

export function renderLiquidationTelegram(event: AlertEvent): string {
  return event.type === LIQUIDATION_EVENT_TYPE ? perLiquidation(event) : perWindow(event);
}

function perLiquidation(event: AlertEvent): string {
  const data = event.data as LiquidationEventData;
  const first = liquidationLine({ side: data.side, asset: data.asset, notionalUsd: data.notional_usd, priceText: decimalText(data.price) });
  const details = [`<b>${escapeHtml(data.monitor)}</b>`, ...(data.venue === 'aster' ? [] : [escapeHtml(data.venue)]), data.severity_label];
  return [escapeHtml(first), details.join(' · ')].join('\n');
}

function perWindow(event: AlertEvent): string {
  const data = event.data as WindowEventData;
  const span = duration(data.window_seconds);
  const subject = data.symbol === null ? 'all symbols' : escapeHtml(data.symbol);
  const lines = [
    `🌊 <b>${subject}</b>: <b>${compactUsd(data.notional_usd)}</b> liquidated in the last ${span}`,
    `longs ${compactUsd(data.long_usd)} · shorts ${compactUsd(data.short_usd)} · ${data.count} liquidation${data.count === 1 ? '' : 's'}, largest ${compactUsd(data.largest_usd)}`,
    data.change_percent === null
      ? `nothing in the ${span} before`
      : `${arrow(data.change_percent)}${signed(data.change_percent.toFixed(2), data.change_percent)}% against the ${span} before (${compactUsd(data.previous_notional_usd)})`,
  ];
  return standardMessage(event, lines);
}

/** 60 s, 5 min, 4 h: a window's length as people say it. */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 120) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A price as a plain decimal (never exponent notation): 1e-7 is 0.0000001. */
export function decimalText(value: number): string {
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : text;
}
