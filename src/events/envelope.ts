/**
 * @module events/envelope — the CloudEvents 1.0 envelope every alert is wrapped in (events.md).
 *
 * The envelope and the id are common to every mode; each mode builds its own `data`
 * (src/modes/<name>/event.ts) and hands it to `buildEvent`.
 */
import * as crypto from 'node:crypto';
import type { Severity } from '../condition/index.js';

/** Fields every event's `data` carries, whatever its mode. */
export interface EventData {
  monitor: string;
  condition: string;
  severity: number;
  severity_label: Severity['label'];
}

/** A structured-mode CloudEvent as asterwatch emits it. */
export interface AlertEvent<T extends EventData = EventData> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
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
  /**
   * Tells apart two events of one subject raised in one round or batch (a stream
   * delivers several per batch). Absent for polled modes, whose ids it must not change.
   */
  discriminator?: string;
}

// A fixed namespace so ids are UUIDv5-shaped and stable across versions and hosts.
const ID_NAMESPACE = 'asterwatch/condition_met/v1';

/**
 * Deterministic id: the same (monitor, subject, round time[, discriminator]) always gives
 * the same id, so receivers can drop a retried delivery. Ids are a contract with
 * receivers: the input string must never change for the existing modes.
 */
export function eventId(monitor: string, subject: string, roundTime: number, discriminator?: string): string {
  const tail = discriminator === undefined ? '' : `\u0000${discriminator}`;
  const hex = sha1Hex(`${ID_NAMESPACE}\u0000${monitor}\u0000${subject}\u0000${roundTime}${tail}`);
  // The first 16 bytes as a UUID, with version 5 in byte 6's high nibble (hex digit 12) and
  // the RFC 4122 variant in byte 8's two high bits (hex digit 16). Built from the hex digest:
  // a storm raises 10,000 ids a round, and bytes in a Buffer cost two typed arrays an id.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${VARIANT_DIGIT[hex.charCodeAt(16)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A hex digit's variant form: its value's two low bits under the variant's 0b10 (8, 9, a or b). */
const VARIANT_DIGIT: string[] = [];
for (const digit of '0123456789abcdef') VARIANT_DIGIT[digit.charCodeAt(0)] = ((parseInt(digit, 16) & 0x3) | 0x8).toString(16);

/**
 * SHA-1 of a string, in hex. Node's one-shot `crypto.hash` (20.12 on) takes about half the time
 * of a Hash object per call: a storm raises 10,000 ids in a round. Same digest either way.
 */
const sha1Hex: (input: string) => string =
  typeof crypto.hash === 'function' ? (input) => crypto.hash('sha1', input, 'hex') : (input) => crypto.createHash('sha1').update(input).digest('hex');

/** `asterwatch/monitors/<monitor name, URL-encoded>`. */
export function eventSource(monitor: string): string {
  return `asterwatch/monitors/${encodeURIComponent(monitor)}`;
}

/** The common `data` fields of a check. */
export function commonData(context: CheckContext): EventData {
  return { condition: context.condition, monitor: context.monitor, severity: context.severity.value, severity_label: context.severity.label };
}

/**
 * The round time each built event's id was derived from (its slot). The store keys events by
 * (slot, id): slots grow with time, so recording a storm appends to that index instead of
 * writing all over a random-UUID one. Kept beside the event, not in it: the envelope is a
 * contract with receivers, and the slot is not part of it.
 */
const slots = new WeakMap<AlertEvent, number>();

/** The round time `event`'s id was derived from; undefined for an event not built here. */
export function eventSlot(event: AlertEvent): number | undefined {
  return slots.get(event);
}

/** `copy` (an event rewritten from `from`, with `from`'s id) keeps `from`'s slot. */
export function withSlotOf<T extends AlertEvent>(from: AlertEvent, copy: T): T {
  const slot = slots.get(from);
  if (slot !== undefined) slots.set(copy, slot);
  return copy;
}

/**
 * The check time as ISO 8601, formatted once for all the events of a check time: a round's
 * events share it (a storm formats 10,000 identical strings otherwise).
 */
let lastTime = { ms: Number.NaN, iso: '' };
function isoTime(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastTime.ms) lastTime = { ms, iso: date.toISOString() };
  return lastTime.iso;
}

/** Wraps a mode's `data` in the envelope. */
export function buildEvent<T extends EventData>(type: string, subject: string, context: CheckContext, data: T): AlertEvent<T> {
  const event: AlertEvent<T> = {
    specversion: '1.0',
    id: eventId(context.monitor, subject, context.roundTime, context.discriminator),
    source: eventSource(context.monitor),
    type,
    subject,
    time: isoTime(context.checkedAt),
    datacontenttype: 'application/json',
    data,
  };
  slots.set(event, context.roundTime);
  return event;
}

/** Refuses to put NaN or Infinity in an event: they are not JSON and never a real value. */
export function requireFinite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`refusing to build an event with a non-finite ${what} (${value})`);
  return value;
}

/** A number that may be unknown: finite, or null. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}
