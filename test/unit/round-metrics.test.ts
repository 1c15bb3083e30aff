/**
 * The per-check metrics counted in plain numbers: a scrape shows exactly the series prom-client's
 * own Counter and Histogram would show for the same checks.
 */
import { Counter, Histogram, Registry, type Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CheckCounter, CheckDurationHistogram } from '../../src/http/round-metrics.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const HELP = {
  checks: 'Monitor checks by monitor and result (ok, error).',
  duration: 'Duration of the round a check ran in, from its start to its commit (exchange time included).',
};
/** Rounds as [duration in seconds, [monitor, failed][]]. */
const ROUNDS: Array<[number, Array<[string, boolean]>]> = [
  [
    0.004,
    [
      ['a', false],
      ['b', false],
    ],
  ],
  [
    0.3,
    [
      ['a', true],
      ['b', false],
      ['c', false],
    ],
  ],
  [45, [['a', false]]],
  [0.05, []],
];

async function withPromClient(): Promise<string> {
  const register = new Registry();
  const checks = new Counter({ name: 'asterwatch_checks_total', help: HELP.checks, labelNames: ['monitor', 'result'], registers: [register] });
  const duration = new Histogram({ name: 'asterwatch_check_duration_seconds', help: HELP.duration, buckets: BUCKETS, registers: [register] });
  for (const [seconds, round] of ROUNDS)
    for (const [monitor, failed] of round) {
      checks.inc({ monitor, result: failed ? 'error' : 'ok' });
      duration.observe(seconds);
    }
  return register.metrics();
}

async function withPlainCounts(): Promise<{ text: string; checks: CheckCounter; register: Registry }> {
  const register = new Registry();
  const checks = new CheckCounter();
  const duration = new CheckDurationHistogram(BUCKETS);
  register.registerMetric(checks as unknown as Metric);
  register.registerMetric(duration as unknown as Metric);
  for (const [seconds, round] of ROUNDS) {
    for (const [monitor, failed] of round) checks.count(monitor, failed);
    duration.observeRound(seconds, round.length);
  }
  return { text: await register.metrics(), checks, register };
}

describe('per-check metrics counted per round', () => {
  it('scrape as the same series, labels, buckets and values as prom-client Counter and Histogram', async () => {
    // Series order within a metric carries no meaning in the exposition format; sums may differ in the last bits.
    const lines = (text: string) =>
      text
        .replace(/_sum (\S+)/, (_m, v: string) => `_sum ${Number(v).toFixed(9)}`)
        .split('\n')
        .sort();
    const actual = (await withPlainCounts()).text;
    expect(lines(actual)).toEqual(lines(await withPromClient()));
    expect(actual).toContain('asterwatch_checks_total{monitor="a",result="error"} 1');
    expect(actual).toContain('asterwatch_check_duration_seconds_bucket{le="0.005"} 2');
    expect(actual).toContain('asterwatch_check_duration_seconds_bucket{le="+Inf"} 6');
    expect(actual).toContain('asterwatch_check_duration_seconds_count 6');
  });

  it('drops the series of monitors no longer configured, and resets with the registry', async () => {
    const { checks, register } = await withPlainCounts();
    checks.keepOnly(new Set(['b']));
    const text = await register.metrics();
    expect(text).toContain('asterwatch_checks_total{monitor="b",result="ok"} 2');
    expect(text).not.toContain('monitor="a"');
    register.resetMetrics();
    expect(await register.metrics()).toContain('asterwatch_check_duration_seconds_count 0');
    expect(await register.metrics()).not.toContain('asterwatch_checks_total{');
  });
});
