import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import type { MonitorConfig } from '../../src/config/index.js';
import { aliasProblem } from '../../src/config/aliases.js';
import { SourceLocator } from '../../src/config/positions.js';
import type { MarketSettings } from '../../src/modes/market/index.js';

/** Nine levels of nine aliases inside mock_account_data: 9^9 ≈ 387 million strings once expanded, from ~600 bytes. */
function billionLaughs(): string {
  const levels = ['      a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 9; level++)
    levels.push(
      `      a${level}: &a${level} [${Array(9)
        .fill(`*a${level - 1}`)
        .join(',')}]`,
    );
  return `monitors:\n  - name: demo\n    monitoring_mode: portfolio\n    mock_account_data:\n${levels.join('\n')}\n`;
}

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, 'monitors.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('aliases in monitors.yaml', () => {
  it('rejects a billion-laughs file at the alias that would expand it past the limit, without expanding it', { timeout: 2_000 }, () => {
    expect(billionLaughs().length).toBeLessThan(700);
    expect(problemsOf(billionLaughs())).toEqual([
      'monitors.yaml:10:16: monitors[0].mock_account_data.a5[0]: alias *a4 makes the configuration expand to more than 100,000 values (aliases inside aliased values multiply); write the values out, or use fewer nested aliases',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('rejects an alias inside the value it refers to, at the alias, instead of recursing forever', () => {
    expect(problemsOf('monitors:\n  - name: demo\n    monitoring_mode: portfolio\n    mock_account_data: &loop\n      balances: [*loop]\n')).toEqual([
      'monitors.yaml:5:18: monitors[0].mock_account_data.balances[0]: alias *loop refers to a value that contains it, so it would never end; point it at another anchor or write the value out',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('rejects a chain of aliases at the one that nests values past 100 levels, however long the chain', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `      a${i + 1}: &a${i + 1} [*a${i}]`);
    const yaml = `monitors:\n  - name: demo\n    monitoring_mode: portfolio\n    mock_account_data:\n      a0: &a0 [1]\n${chain.join('\n')}\n`;
    expect(problemsOf(yaml)).toEqual([
      'monitors.yaml:100:18: monitors[0].mock_account_data.a95[0]: alias *a94 nests values more than 100 levels deep once expanded; use fewer nested aliases',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('rejects many uses of one small alias once they add more than the limit, at the first use past it', () => {
    const yaml = `monitors:\n  - name: demo\n    monitoring_mode: portfolio\n    mock_account_data:\n      ten: &ten [1, 2, 3, 4, 5, 6, 7, 8, 9]\n      many: [${Array(20_000).fill('*ten').join(', ')}]\n`;
    expect(problemsOf(yaml)).toEqual([
      'monitors.yaml:6:60014: monitors[0].mock_account_data.many[10000]: alias *ten makes the configuration expand to more than 100,000 values (aliases inside aliased values multiply); write the values out, or use fewer nested aliases',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('accepts aliases that share lists between monitors, and validates each use', () => {
    const config = parseConfig(
      `monitors:
  - name: first
    monitoring_mode: market
    notify: &sinks [stdout]
    monitored_assets: &assets
      - { asset: btc, condition: ">> 5%" }
      - { asset: ETH, condition: "< \${FLOOR}" }
  - name: second
    monitoring_mode: market
    notify: *sinks
    monitored_assets: *assets
`,
      'monitors.yaml',
      { FLOOR: '1000' },
    );
    expect(
      config.monitors.map((m) => [m.name, m.notify, (m as MonitorConfig<MarketSettings>).settings.assets.map((a) => `${a.symbol} ${a.condition.source}`)]),
    ).toEqual([
      ['first', ['stdout'], ['BTCUSDT >> 5%', 'ETHUSDT < 1000']],
      ['second', ['stdout'], ['BTCUSDT >> 5%', 'ETHUSDT < 1000']],
    ]);
  });

  it('reports an unset variable inside an aliased value once, where the value is written', () => {
    expect(
      problemsOf(`monitors:
  - name: first
    monitoring_mode: portfolio
    mock_account_data: &account { balances: [{ asset: "\${COIN}", free: "1" }] }
  - name: second
    monitoring_mode: portfolio
    mock_account_data: *account
`),
    ).toEqual([
      'monitors.yaml:4:55: monitors[0].mock_account_data.balances[0].asset: environment variable COIN is not set; set it in the environment or in .env (see .env.example)',
      '1 configuration error; nothing was started.',
    ]);
  });

  it('points at the start of the file if it is asked to blame an alias and finds none to blame', () => {
    expect(aliasProblem(new SourceLocator('monitors.yaml', 'monitors: []\n'))).toEqual({
      file: 'monitors.yaml',
      line: 1,
      column: 1,
      path: '',
      message:
        'an alias makes the configuration expand to more than 100,000 values (aliases inside aliased values multiply); write the values out, or use fewer nested aliases',
    });
  });
});
