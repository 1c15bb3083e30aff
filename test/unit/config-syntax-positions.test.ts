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

/** A valid file of 23 lines; each test breaks one line of it. */
const LINES = [
  'sinks:',
  '  ops:',
  '    type: webhook',
  '    url: https://hooks.example.test/alert',
  'monitors:',
  '  - name: majors',
  '    monitoring_mode: market',
  '    check_interval: 300',
  '    notify: [stdout, ops]',
  '    monitored_assets:',
  '      - { asset: BTC, condition: ">> 5%" }',
  '      - { asset: ETH, condition: ">> 5%" }',
  '  - name: demo',
  '    monitoring_mode: portfolio',
  '    schedule: "0 */4 * * *"',
  '    mock_account_data:',
  '      balances:',
  '        - { asset: BTC, free: "1" }',
  '  - name: treasury',
  '    monitoring_mode: portfolio',
  '    check_interval: 3600',
  '    notify: [ops]',
  '    mock_account_data: \'{"balances":[]}\'',
];

/** The file with line `n` (1-based) replaced. */
const withLine = (n: number, text: string) => `${LINES.map((line, i) => (i === n - 1 ? text : line)).join('\n')}\n`;

describe('YAML syntax errors in monitors.yaml', () => {
  it('start from a valid file', () => {
    expect(parseConfig(withLine(1, 'sinks:'), 'monitors.yaml', {}).monitors).toHaveLength(3);
  });

  it('report a tab used as indentation at its line and column', () => {
    expect(problemsOf(withLine(8, '\tcheck_interval: 300'))).toEqual([
      'monitors.yaml:8:1: YAML syntax: Tabs are not allowed as indentation',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('report a duplicate key at the second one, line 22', () => {
    expect(problemsOf(withLine(22, '    check_interval: 600'))).toEqual([
      'monitors.yaml:22:5: YAML syntax: duplicated mapping key',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('report an unclosed [ where the list was due to end, the next key', () => {
    expect(problemsOf(withLine(9, '    notify: [stdout, ops'))).toEqual([
      'monitors.yaml:10:5: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('report nesting too deep to read where it gets too deep, without overflowing the stack', () => {
    expect(problemsOf(withLine(4, `    url: ${'['.repeat(20_000)}${']'.repeat(20_000)}`))).toEqual([
      'monitors.yaml:4:107: YAML syntax: values are nested more than 100 levels deep',
      '1 configuration error; nothing was started.',
    ]);
  });
});
