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
  const hash = sha1(`${ID_NAMESPACE}\u0000${monitor}\u0000${subject}\u0000${roundTime}${tail}`);
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * SHA-1 of a string. Node's one-shot `crypto.hash` (20.12 on) takes about half the time of a
 * Hash object per call: a storm raises 10,000 ids in a round. Same digest either way.
 */
const sha1: (input: string) => Buffer =
  typeof crypto.hash === 'function' ? (input) => crypto.hash('sha1', input, 'buffer') : (input) => crypto.createHash('sha1').update(input).digest();

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

/** Wraps a mode's `data` in the envelope. */
export function buildEvent<T extends EventData>(type: string, subject: string, context: CheckContext, data: T): AlertEvent<T> {
  const event: AlertEvent<T> = {
    specversion: '1.0',
    id: eventId(context.monitor, subject, context.roundTime, context.discriminator),
    source: eventSource(context.monitor),
    type,
    subject,
    time: context.checkedAt.toISOString(),
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
