import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

function problemsOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'monitors.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a configuration error');
}

const withCondition = (condition: string) =>
  `monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTC, condition: "${condition}" }\n`;

describe('a long malformed condition in monitors.yaml', () => {
  it('is echoed once, cut to 60 characters around the error, at the real column in the file', () => {
    const lines = problemsOf(withCondition(`>> ${'0'.repeat(1 << 20)}x${'0'.repeat(1 << 20)}`));
    const shown = `…${'0'.repeat(30)}x${'0'.repeat(29)}…`;
    // The condition's value starts at column 35 of line 5; the x is its 1,048,580th character.
    expect(lines).toEqual([
      `monitors.yaml:5:${35 + (1 << 20) + 3}: monitors[0].monitored_assets[0].condition: condition "${shown}": column ${(1 << 20) + 4}: expected a digit, a suffix (k, K, M, B), "%" or end of the condition`,
      `  ${shown}`,
      `  ${' '.repeat(31)}^`,
      '1 configuration error; nothing was started.',
    ]);
  });

  it('is echoed whole when it is short, as before', () => {
    expect(problemsOf(withCondition('>> ++x'))).toEqual([
      'monitors.yaml:5:40: monitors[0].monitored_assets[0].condition: condition ">> ++x": column 6: expected a number',
      '  >> ++x',
      '       ^',
      '1 configuration error; nothing was started.',
    ]);
  });
});
