/**
 * @module scheduler/commit — a round's (or a stream batch's) checks as one guarded commit.
 */
import type { MonitorConfig } from '../config/index.js';
import type { AlertEvent } from '../events/index.js';
import { emptyCheck, type MonitorCheck } from '../modes/mode.js';
import type { GuardedStateWrite, RoundCommit, SubjectState } from '../store/index.js';

/** A check that threw: the monitor's result is an error naming it. */
export function failedCheck(monitor: string, error: unknown): MonitorCheck {
  const check = emptyCheck(monitor);
  check.errors.push(error instanceof Error ? error.message : String(error));
  return check;
}

/**
 * One pass over every check (a round can hold 10,000 monitors): states guarded by the
 * version read, statuses, and events with the sinks they are routed to.
 */
export function buildCommit(
  roundTime: number,
  checkedAt: number,
  monitors: readonly MonitorConfig[],
  checks: readonly MonitorCheck[],
  /** The states each check read, by the monitors' positions. */
  states: ReadonlyArray<ReadonlyMap<string, SubjectState> | undefined>,
  route: (monitor: MonitorConfig, severity: number, event: AlertEvent) => string[],
  /** Each monitor's 'ok' status, by the monitors' positions, made once and shared by its rounds (frozen): no object per monitor per round. */
  okStatuses?: ReadonlyArray<RoundCommit['statuses'][number]>,
): RoundCommit {
  // The lists at their final size: growing them by push copied each a few times (10,000 monitors a round).
  let writeCount = 0;
  let failures = 0;
  for (let i = 0; i < checks.length; i++) {
    writeCount += checks[i]!.states.length;
    if (checks[i]!.errors.length > 0) failures++;
  }
  // Every check passed (most rounds): the plan's list of 'ok' statuses itself, the same array
  // each round, so the store recognises it whole instead of comparing it status by status.
  const shared = failures === 0 && okStatuses !== undefined;
  const statuses: Array<RoundCommit['statuses'][number]> | null = shared ? null : new Array(checks.length);
  const commit: RoundCommit = { roundTime, checkedAt, states: new Array(writeCount), forget: [], statuses: statuses ?? okStatuses!, events: [] };
  let w = 0;
  // Indexed loops: checks share frozen empty lists, which would turn for-of into iterator objects.
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    const monitor = monitors[i]!;
    const read = states[i];
    const writes = check.states;
    for (let j = 0; j < writes.length; j++) {
      // The check's own state object becomes the guarded write (no copy: a round writes thousands).
      const write = writes[j] as GuardedStateWrite;
      write.version = (read?.get(write.subject)?.version ?? 0) + 1;
      commit.states[w++] = write;
    }
    for (let j = 0; j < check.forget.length; j++) {
      const subject = check.forget[j]!;
      const version = read?.get(subject)?.version;
      if (version !== undefined) commit.forget!.push({ monitor: monitor.name, subject, expectedVersion: version });
    }
    const failed = check.errors.length > 0;
    if (statuses !== null)
      statuses[i] =
        !failed && okStatuses !== undefined
          ? okStatuses[i]!
          : { monitor: check.monitor, result: failed ? 'error' : 'ok', error: failed ? check.errors.join('; ') : null };
    for (let j = 0; j < check.events.length; j++) {
      const event = check.events[j]!;
      const severity = event.data.severity;
      commit.events.push({ event, monitor: check.monitor, severity, sinks: route(monitor, severity, event) });
    }
  }
  return commit;
}

/** Each monitor's 'ok' status for buildCommit, made once for a round plan (the list frozen too: it is given to the store as it is). */
export function okStatusesOf(monitors: readonly MonitorConfig[]): ReadonlyArray<RoundCommit['statuses'][number]> {
  return Object.freeze(monitors.map((monitor) => Object.freeze({ monitor: monitor.name, result: 'ok' as const, error: null })));
}
