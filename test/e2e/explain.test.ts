import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('asterwatch explain', () => {
  it('prints the description, evaluation and severity', async () => {
    const result = await runCli(['explain', '>> ++25%', '--current', '1300', '--previous', '1000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('meaning:    once, when the price rises by more than 25% since the last check');
    expect(result.stdout).toContain('evaluation: evaluable true, met true, fires true, armed after false');
    expect(result.stdout).toContain('severity:   0.5 high');
  });

  it('prints only the description without values', async () => {
    const result = await runCli(['explain', '< 10M', '--mode', 'portfolio']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('when the portfolio value is below 10,000,000');
    expect(result.stdout).not.toContain('evaluation:');
  });

  it('uses the portfolio severity rule with --mode portfolio', async () => {
    const result = await runCli(['explain', '< 10000000', '--mode', 'portfolio', '--current', '2000000', '--json']);
    expect(JSON.parse(result.stdout).severity).toEqual({ value: 0.75, label: 'critical' });
  });

  it('exits 1 with the caret message on a syntax error, without a stack trace', async () => {
    const result = await runCli(['explain', '>> ++x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('condition ">> ++x": column 6: expected a number\n  >> ++x\n       ^\n');
    expect(result.stdout).toBe('');
  });

  it('exits 1 on a bad flag value and names the flag', async () => {
    const result = await runCli(['explain', '> 5', '--current', 'abc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--current must be a finite number');
  });

  it('answers --help and --version', async () => {
    expect((await runCli(['explain', '--help'])).stdout).toContain("Usage: asterwatch explain '<condition>'");
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('describes a condition with its rearm pair, and whether a check re-arms it', async () => {
    const text = await runCli(['explain', '>> 70000', '--rearm', '< 69000']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/once fired, it re-arms only when the price is below 69,000, not merely when the condition stops holding/);
    const inBand = JSON.parse((await runCli(['explain', '>> 70000', '--rearm', '< 69000', '--current', '69500', '--armed', 'false', '--json'])).stdout);
    expect(inBand.evaluation).toMatchObject({ met: false, fires: false, armed: false });
    expect(inBand.rearm).toMatchObject({ condition: '< 69000', met: false });
    const below = JSON.parse((await runCli(['explain', '>> 70000', '--rearm', '< 69000', '--current', '68000', '--armed', 'false', '--json'])).stdout);
    expect(below.evaluation.armed).toBe(true);
    const refused = await runCli(['explain', '> 70000', '--rearm', '< 69000']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--rearm applies to once-conditions/);
  });
});
