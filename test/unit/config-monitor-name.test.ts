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

/** One market monitor named by `name`, written as a double-quoted YAML scalar (escapes such as \u202E work). */
const monitorNamed = (name: string) => `  - name: "${name}"\n    monitoring_mode: market\n    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n`;
const withNames = (...names: string[]) => `monitors:\n${names.map(monitorNamed).join('')}`;

describe('monitor names', () => {
  it.each(['a', 'x'.repeat(64), 'Zürich 🚀 BTC/ETH', 'treasury (cold wallet) #2', '  padded  '])('accepts %j', (name) => {
    expect(parseConfig(withNames(name), 'monitors.yaml', {}).monitors.map((m) => m.name)).toEqual([name.trim()]);
  });

  it('rejects a name longer than 64 characters, counting characters rather than UTF-16 units', () => {
    expect(problemsOf(withNames('🚀'.repeat(65)))).toEqual([
      'monitors.yaml:2:11: monitors[0].name: must be at most 64 characters; this one has 65',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('rejects a 1 MB name without echoing it, and does not call two of them duplicates', () => {
    const huge = 'n'.repeat(1 << 20);
    const lines = problemsOf(withNames(huge, huge));
    expect(lines).toEqual([
      'monitors.yaml:2:11: monitors[0].name: must be at most 64 characters; this one has 1,048,576',
      'monitors.yaml:5:11: monitors[1].name: must be at most 64 characters; this one has 1,048,576',
      '2 configuration errors; nothing was started.',
    ]);
  });

  it.each([
    ['\\0', 'U+0000 (a control character)'],
    ['\\n', 'U+000A (a control character)'],
    ['\\x7f', 'U+007F (a control character)'],
    ['\\x85', 'U+0085 (a control character)'],
    ['\\u2028', 'U+2028 (a line or paragraph separator)'],
    ['\\u202E', 'U+202E (a bidirectional text control)'],
    ['\\u2066', 'U+2066 (a bidirectional text control)'],
    ['\\u200F', 'U+200F (a bidirectional text control)'],
    ['\\u061C', 'U+061C (a bidirectional text control)'],
    ['\\uD800', 'U+D800 (an unpaired surrogate)'],
  ])('rejects a name holding %s', (escape, what) => {
    expect(problemsOf(withNames(`ops${escape}desk`))).toEqual([
      `monitors.yaml:2:11: monitors[0].name: must be printable: character 4 is ${what}; names reach logs, metrics labels, the dashboard and Telegram messages as written`,
      '1 configuration error; nothing was started.',
    ]);
  });
});
