import { describe, expect, it } from 'vitest';
import { scheduleProblem } from '../../src/config/cadence.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { nextCronSlot, parseCron } from '../../src/scheduler/slots.js';

function problemsOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'monitors.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a configuration error');
}

const withSchedule = (schedule: string, extra = '') =>
  `monitors:\n  - name: m\n    monitoring_mode: market\n    schedule: "${schedule}"\n${extra}    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n`;

const UNSUPPORTED = 'which the scheduler does not support; use numbers, ranges (1-5), lists (1,15) and steps (*/5)';

describe('schedule in monitors.yaml', () => {
  it.each([
    ['0 0 L * *', `"0 0 L * *" uses L, W or #, ${UNSUPPORTED}`],
    ['0 0 * * 5L', `"0 0 * * 5L" uses L, W or #, ${UNSUPPORTED}`],
    ['0 0 * * 1#2', `"0 0 * * 1#2" uses L, W or #, ${UNSUPPORTED}`],
    ['0 0 15W * *', `"0 0 15W * *" uses L, W or #, ${UNSUPPORTED}`],
  ])('rejects %j, which the scheduler cannot run', (schedule, message) => {
    expect(problemsOf(withSchedule(schedule))).toEqual([`monitors.yaml:4:15: monitors[0].schedule: ${message}`, '1 configuration error; nothing was started.']);
  });

  it('rejects what the cron parser rejects, with its reason', () => {
    expect(problemsOf(withSchedule('every day'))).toEqual([
      'monitors.yaml:4:15: monitors[0].schedule: "every day" is not a valid cron expression (expected 5 or 6 fields but got 2); use five or six fields, e.g. "*/5 * * * *" (every 5 minutes)',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('rejects a schedule whose next run the scheduler cannot compute', () => {
    // The last moment a Date can hold: no day after it exists for the scheduler to find.
    expect(scheduleProblem('0 0 * * *', 8.64e15)).toBe(
      '"0 0 * * *" matches no time the scheduler can find in the coming years; check the day of month, month and day of week',
    );
  });

  it.each([
    ['* * * * * *', '1 second'],
    ['0,30 * * * * *', '30 seconds'],
    ['0,59 0 12 * * *', '59 seconds'],
  ])('rejects %j, whose runs are %s apart, as check_interval rejects less than 60 seconds', (schedule, gap) => {
    expect(problemsOf(withSchedule(schedule))).toEqual([
      `monitors.yaml:4:15: monitors[0].schedule: "${schedule}" runs ${gap} apart; a schedule must leave at least 60 seconds between runs, as check_interval does (give the seconds field one value, e.g. "0 * * * * *")`,
      '1 configuration error; nothing was started.',
    ]);
  });

  it.each(['*/5 * * * *', '* * * * *', '0 * * * * *', '30 */2 * * * *', '0 0 * * MON-FRI', '0 9 1 JAN *', '0 0 29 2 *'])(
    'accepts %j, and the scheduler can compute its next run',
    (schedule) => {
      const [monitor] = parseConfig(withSchedule(schedule), 'monitors.yaml', {}).monitors;
      expect(monitor?.schedule).toBe(schedule);
      expect(nextCronSlot(parseCron(schedule), Date.now())).toBeGreaterThan(Date.now());
    },
  );

  it('rejects check_interval beside schedule at the check_interval key, which schedule would silently replace', () => {
    expect(problemsOf(withSchedule('*/5 * * * *', '    check_interval: 600\n'))).toEqual([
      'monitors.yaml:5:5: monitors[0].check_interval: check_interval and schedule are both set, and schedule replaces check_interval; keep one of the two',
      '1 configuration error; nothing was started.',
    ]);
  });
});
