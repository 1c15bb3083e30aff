import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/condition/index.js';
import { ConfigError, parseConfig, unknownAssetProblems, type MonitorConfig } from '../../src/config/index.js';
import type { MarketSettings } from '../../src/modes/market/index.js';
import type { PortfolioSettings } from '../../src/modes/portfolio/index.js';

/** A monitor's mode settings, typed (each mode builds its own). */
const market = (monitor: MonitorConfig | undefined) => (monitor as MonitorConfig<MarketSettings>).settings;
const portfolio = (monitor: MonitorConfig | undefined) => (monitor as MonitorConfig<PortfolioSettings>).settings;

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, 'monitors.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('loading monitors.yaml', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(
      `monitors:
  - name: majors
    monitoring_mode: market
    monitored_assets:
      - { asset: btc, condition: ">> 5%" }
      - { asset: ETH }
  - name: demo
    monitoring_mode: portfolio
    mock_account_data: '{"balances":[{"asset":"BTC","free":"100","locked":"0"}]}'
`,
      'monitors.yaml',
      {},
    );
    const [majors, demo] = config.monitors;
    expect(majors).toMatchObject({ name: 'majors', mode: 'market', intervalSeconds: 300, schedule: null, notify: ['stdout'] });
    expect(market(majors).assets.map((a) => [a.asset, a.symbol, a.condition.source, a.defaultCondition])).toEqual([
      ['BTC', 'BTCUSDT', '>> 5%', false],
      ['ETH', 'ETHUSDT', '> 10', true],
    ]);
    expect(portfolio(demo).condition.source).toBe('>> 5%');
    expect(portfolio(demo).credentials).toBeNull();
    expect(config.warnings.map((w) => `${w.ref.line}:${w.ref.column}: ${w.message}`)).toEqual([
      '6:18: ETH has no condition and uses the default "> 10", which fires on every check while the price is above 10; write a condition such as ">> 5%"',
    ]);
  });

  it('reads ${VAR} from the environment', () => {
    const config = parseConfig(
      `monitors:
  - name: treasury
    monitoring_mode: portfolio
    api_key: \${ASTER_API_KEY}
    api_secret: "\${ASTER_API_SECRET}"
`,
      'monitors.yaml',
      { ASTER_API_KEY: 'k', ASTER_API_SECRET: 's' },
    );
    expect(portfolio(config.monitors[0]).credentials).toEqual({ apiKey: 'k', apiSecret: 's' });
  });

  it('reports every problem at once, each with file:line:column and the YAML path', () => {
    const lines = problemsOf(`monitors:
  - name: majors
    monitoring_mode: market
    check_intervall: 300
    monitored_assets:
      - { asset: BTC, condition: ">> ++x" }
  - name: majors
    monitoring_mode: market
    check_interval: 30
    monitored_assets: [{ asset: ETH }]
  - name: treasury
    monitoring_mode: portfolio
  - name: keyed
    monitoring_mode: portfolio
    api_key: \${ASTER_API_KEY}
    api_secret: x
`);
    // Shape, field meaning, missing mode fields, duplicates and unset variables: all in one run.
    expect(lines).toEqual([
      'monitors.yaml:4:5: monitors[0].check_intervall: unknown field "check_intervall"; did you mean "check_interval"?',
      'monitors.yaml:6:40: monitors[0].monitored_assets[0].condition: condition ">> ++x": column 6: expected a number',
      '  >> ++x',
      '       ^',
      'monitors.yaml:7:11: monitors[1].name: duplicate monitor name "majors" (first used by monitors[0], line 2); names must be unique',
      'monitors.yaml:9:21: monitors[1].check_interval: must be at least 60 seconds (it is not clamped)',
      'monitors.yaml:11:5: monitors[2]: a portfolio monitor needs credentials: signer and private_key of an API wallet (V3), or api_key and api_secret (V1, legacy), or mock_account_data for testing',
      'monitors.yaml:15:14: monitors[3].api_key: environment variable ASTER_API_KEY is not set; set it in the environment or in .env (see .env.example)',
      '6 configuration errors; nothing was started.',
    ]);
  });

  it('reports meaning problems after the shape is right: duplicates, conditions with their caret, missing mode fields', () => {
    const lines = problemsOf(`monitors:
  - name: majors
    monitoring_mode: market
    monitored_assets:
      - { asset: BTC, condition: ">> ++x" }
  - name: majors
    monitoring_mode: market
    monitored_assets: [{ asset: ETH }]
  - name: treasury
    monitoring_mode: portfolio
  - name: mixed
    monitoring_mode: market
    api_key: k
    monitored_assets: [{ asset: SOL, condition: "> 1" }]
    notify: [stdout, pager]
`);
    expect(lines).toEqual([
      'monitors.yaml:5:40: monitors[0].monitored_assets[0].condition: condition ">> ++x": column 6: expected a number',
      '  >> ++x',
      '       ^',
      'monitors.yaml:6:11: monitors[1].name: duplicate monitor name "majors" (first used by monitors[0], line 2); names must be unique',
      'monitors.yaml:9:5: monitors[2]: a portfolio monitor needs credentials: signer and private_key of an API wallet (V3), or api_key and api_secret (V1, legacy), or mock_account_data for testing',
      'monitors.yaml:13:5: monitors[3].api_key: api_key is only for portfolio and positions monitors; remove it or set monitoring_mode: portfolio',
      'monitors.yaml:15:22: monitors[3].notify[1]: unknown sink "pager"; declare it under sinks: (known: stdout)',
      '5 configuration errors; nothing was started.',
    ]);
  });

  it.each([
    ['monitors:\n  - name: [unclosed\n', /^monitors\.yaml:\d+:\d+: YAML syntax: /],
    ['', /^monitors\.yaml:1:1: the file is empty/],
    ['monitors: []\n', /^monitors\.yaml:1:11: monitors: must define at least one monitor/],
    ['monitors:\n  - monitoring_mode: market\n    monitored_assets: [{asset: BTC}]\n', /^monitors\.yaml:2:5: monitors\[0\]: name is required/],
    [
      'monitors:\n  - name: a\n    monitoring_mode: spot\n',
      /^monitors\.yaml:3:22: monitors\[0\]\.monitoring_mode: must be market, portfolio, liquidations or positions/,
    ],
    [
      'monitors:\n  - name: a\n    monitoring_mode: market\n    schedule: "every day"\n    monitored_assets: [{asset: BTC}]\n',
      /monitors\[0\]\.schedule: "every day" is not a valid cron expression/,
    ],
    [
      'monitors:\n  - name: a\n    monitoring_mode: portfolio\n    mock_account_data: \'{"balances": 3}\'\n',
      /monitors\[0\]\.mock_account_data: mock_account_data: balances is a?n? ?number 3, expected an array/,
    ],
    ['monitors:\n  - name: a\n    monitoring_mode: market\n    check_interval: 90000\n    monitored_assets: [{asset: BTC}]\n', /must be at most 86400 seconds/],
    [
      'monitors:\n  - name: a\n    monitoring_mode: market\n    notify: [stdout, stdout]\n    monitored_assets: [{asset: BTC}]\n',
      /^monitors\.yaml:4:22: monitors\[0\]\.notify\[1\]: sink "stdout" is listed twice/,
    ],
  ])('explains %j', (yaml, message) => {
    expect(problemsOf(yaml)[0]).toMatch(message);
  });

  it('names unknown assets from the exchange symbol list with their position', () => {
    const config = parseConfig(
      'monitors:\n  - name: m\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTX, condition: "> 1" }\n',
      'monitors.yaml',
      {},
    );
    const problems = unknownAssetProblems(config, [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'TRADING' }]);
    expect(problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`)).toEqual([
      '5:18: monitors[0].monitored_assets[0].asset: unknown asset BTX: the exchange has no BTXUSDT pair; did you mean BTC?',
    ]);
  });

  it("names an unknown asset's place in a later monitor and a later entry (the reference is made when read)", () => {
    const config = parseConfig(
      'monitors:\n  - { name: a, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n' +
        '  - { name: c, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 1" }] }\n' +
        '  - name: b\n    monitoring_mode: market\n    monitored_assets:\n      - { asset: BTC, condition: "> 1" }\n      - { asset: ETX, condition: "> 1" }\n',
      'monitors.yaml',
      {},
    );
    const symbols = ['BTC', 'ETH'].map((base) => ({ symbol: `${base}USDT`, baseAsset: base, quoteAsset: 'USDT', status: 'TRADING' }));
    const problems = unknownAssetProblems(config, symbols);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.path}: ${p.message}`)).toEqual([
      'monitors.yaml:8:18: monitors[2].monitored_assets[1].asset: unknown asset ETX: the exchange has no ETXUSDT pair; did you mean ETH?',
    ]);
    // Under another condition (replay's --condition), a subject still knows where it was written.
    const tuned = config.monitors[2]!.plugin.withCondition!(config.monitors[2]!.settings, compileCondition('> 2')) as MarketSettings;
    expect(tuned.assets.map((a) => [a.condition.source, `${a.ref.line}:${a.ref.column}`, a.ref.path])).toEqual([
      ['> 2', '7:18', 'monitors[2].monitored_assets[0].asset'],
      ['> 2', '8:18', 'monitors[2].monitored_assets[1].asset'],
    ]);
  });
});

describe('sinks in monitors.yaml', () => {
  const yaml = (sinks: string) =>
    `sinks:\n${sinks}\nmonitors:\n  - { name: m, monitoring_mode: market, notify: [ops], monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n`;

  it('reads every sink type with ${VAR}, and treats an empty optional secret as none', () => {
    const config = parseConfig(
      yaml(
        '  ops: { type: webhook, url: "${HOOK_URL}", secret: "${HOOK_SECRET}", min_severity: medium }\n  tg: { type: telegram, bot_token: "1:abc", chat_id: -100 }\n  log: { type: file, path: ./alerts.jsonl }',
      ),
      'monitors.yaml',
      { HOOK_URL: 'https://example.test/hook', HOOK_SECRET: '' },
    );
    expect(config.sinks.ops).toEqual({ type: 'webhook', url: 'https://example.test/hook', min_severity: 'medium' });
    expect(Object.keys(config.sinks).sort()).toEqual(['log', 'ops', 'stdout', 'tg']);
  });

  it.each([
    ['  ops: { type: pager }', /^monitors\.yaml:2:16: sinks\.ops\.type: type must be one of stdout, file, webhook, telegram, discord, slack, email$/m],
    ['  ops: { type: webhook, url: "ftp://x" }', /sinks\.ops\.url: must be an http\(s\) URL/],
    ['  ops: { type: webhook, url: "https://x.test", secret: short }', /sinks\.ops\.secret: must be at least 16 characters/],
    ['  ops: { type: telegram, bot_token: nope, chat_id: 1 }', /sinks\.ops\.bot_token: does not look like a bot token/],
    ['  ops: { type: file, path: a.jsonl, min_severity: urgent }', /sinks\.ops\.min_severity: must be low, medium, high or critical/],
  ])('explains %s', (sinks, message) => {
    expect(problemsOf(yaml(sinks)).join('\n')).toMatch(message);
  });
});

describe('names from the user', () => {
  it('are looked up as own names only: a sink called "constructor" or "toString" is unknown', () => {
    expect(
      problemsOf(
        'monitors:\n  - { name: m, monitoring_mode: market, notify: [constructor, toString], monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
      ),
    ).toEqual([
      'monitors.yaml:2:50: monitors[0].notify[0]: unknown sink "constructor"; declare it under sinks: (known: stdout)',
      'monitors.yaml:2:63: monitors[0].notify[1]: unknown sink "toString"; declare it under sinks: (known: stdout)',
      '2 configuration errors; nothing was started.',
    ]);
  });

  it('as a mode, "constructor" is not a mode', () => {
    expect(problemsOf('monitors:\n  - { name: m, monitoring_mode: constructor }\n')[0]).toMatch(
      /monitors\[0\]\.monitoring_mode: must be market, portfolio, liquidations or positions/,
    );
  });
});
