/**
 * @module silences/new-silence — a silence from what a person typed (the CLI, the HTTP API and
 * the dashboard share it): the monitor must exist, the duration is bounded, the comment short.
 */
import { randomBytes } from 'node:crypto';
import { AsterwatchError } from '../errors.js';
import type { Silence } from '../store/index.js';

/** The longest silence: a forgotten one must not mute a monitor for ever. */
export const MAX_SILENCE_MS = 90 * 24 * 60 * 60 * 1000;
const MAX_COMMENT = 500;
const MAX_SUBJECT = 100;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A silence that cannot be made as asked; `field` names what to fix (`monitor`, `subject`, `duration`, `comment`). */
export class SilenceInputError extends AsterwatchError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('SILENCE_INPUT', message);
  }
}

/** `90s`, `30m`, `4h`, `1d`, `2w`, or a sum such as `1h30m`; in ms. */
export function parseSilenceDuration(text: string, field = 'duration'): number {
  const trimmed = text.trim();
  const parts = /^(?:\d+[smhdw])+$/.test(trimmed) ? [...trimmed.matchAll(/(\d+)([smhdw])/g)] : [];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || ms <= 0)
    throw new SilenceInputError(field, `${field} must be a duration such as 30m, 4h, 1d or 1h30m; got ${JSON.stringify(text)}`);
  if (ms > MAX_SILENCE_MS)
    throw new SilenceInputError(field, `${field} must be at most 90 days (${JSON.stringify(text)} is longer); remove the silence and add it again later`);
  return ms;
}

export interface SilenceRequest {
  monitor: string;
  subject?: string | null;
  durationMs: number;
  comment?: string | null;
  createdBy: 'cli' | 'api' | 'dashboard';
}

export function newSilence(request: SilenceRequest, knownMonitors: readonly string[], now: number): Silence {
  if (!knownMonitors.includes(request.monitor)) {
    const known = knownMonitors.length === 0 ? 'none' : knownMonitors.slice(0, 20).join(', ') + (knownMonitors.length > 20 ? ', …' : '');
    throw new SilenceInputError('monitor', `no monitor named ${JSON.stringify(request.monitor)} in the configuration (known: ${known})`);
  }
  const subject = request.subject === undefined || request.subject === null || request.subject.trim() === '' ? null : request.subject.trim();
  if (subject !== null && subject.length > MAX_SUBJECT) throw new SilenceInputError('subject', `subject must be at most ${MAX_SUBJECT} characters`);
  const comment = request.comment === undefined || request.comment === null || request.comment.trim() === '' ? null : request.comment.trim();
  if (comment !== null && comment.length > MAX_COMMENT) throw new SilenceInputError('comment', `comment must be at most ${MAX_COMMENT} characters`);
  return {
    id: randomBytes(6).toString('hex'),
    monitor: request.monitor,
    subject,
    startsAt: now,
    endsAt: now + request.durationMs,
    comment,
    createdAt: now,
    createdBy: request.createdBy,
  };
}

/** A silence as the CLI's `--json` and the HTTP API show it. */
export function silenceJson(s: Silence, now: number): Record<string, unknown> {
  return {
    id: s.id,
    monitor: s.monitor,
    subject: s.subject,
    starts_at: new Date(s.startsAt).toISOString(),
    ends_at: new Date(s.endsAt).toISOString(),
    comment: s.comment,
    created_at: new Date(s.createdAt).toISOString(),
    created_by: s.createdBy,
    active: s.startsAt <= now && now < s.endsAt,
  };
}
