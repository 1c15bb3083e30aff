/**
 * @module config/validate — the meaning checks zod cannot express, with positions.
 */
import cron from 'node-cron';
import { compileCondition, ConditionSyntaxError, caretLine, type CompiledCondition } from '../condition/index.js';
import { BUILT_IN_SINKS, type SinkConfig } from '../delivery/sinks/registry.js';
import { MockAccountDataError, parseMockAccountData } from '../sources/account.js';
import { symbolOf } from '../sources/symbols.js';
import type { ConfigProblem } from './errors.js';
import type { SourceContext } from './load.js';
import type { ConfigWarning, LoadedConfig, MarketSubjectConfig, MonitorConfig, SourceRef } from './model.js';
import type { YamlPath } from './positions.js';
import { DEFAULTS, type RawConfig, type RawMonitor } from './schema.js';

const PORTFOLIO_ONLY = ['api_key', 'api_secret', 'portfolio_condition', 'mock_account_data'] as const;

export function validateMeaning(raw: RawConfig, source: SourceContext): { config: LoadedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const ref = (path: YamlPath): SourceRef => source.locator.ref(path);
  const sinks: Record<string, SinkConfig> = { ...BUILT_IN_SINKS, ...(raw.sinks ?? {}) };
  const firstByName = new Map<string, number>();
  const monitors: MonitorConfig[] = [];

  raw.monitors.forEach((monitor, index) => {
    const at = (...rest: Array<string | number>): YamlPath => ['monitors', index, ...rest];
    const first = firstByName.get(monitor.name);
    if (first !== undefined) {
      problems.push(source.problem(at('name'), `duplicate monitor name "${monitor.name}" (first used by monitors[${first}], line ${ref(['monitors', first, 'name']).line}); names must be unique`));
    } else {
      firstByName.set(monitor.name, index);
    }

    const compile = (text: string, path: YamlPath): CompiledCondition | null => {
      try {
        return compileCondition(text);
      } catch (error) {
        if (!(error instanceof ConditionSyntaxError)) throw error;
        const explicit = source.locator.locate(path).exact;
        problems.push(source.problem(path, `condition ${JSON.stringify(text)}: column ${error.column}: ${error.reason}`, {
          detail: caretLine(text, error.column),
          ...(explicit ? { columnInValue: error.column } : {}),
        }));
        return null;
      }
    };

    if (monitor.schedule !== undefined && !cron.validate(monitor.schedule)) {
      problems.push(source.problem(at('schedule'), `"${monitor.schedule}" is not a valid cron expression; use five or six fields, e.g. "*/5 * * * *" (every 5 minutes)`));
    }
    for (const [i, sinkName] of (monitor.notify ?? []).entries()) {
      if ((monitor.notify ?? []).indexOf(sinkName) !== i) {
        problems.push(source.problem(at('notify', i), `sink "${sinkName}" is listed twice; each sink gets each event once`));
        continue;
      }
      if (sinks[sinkName] === undefined) {
        const known = Object.keys(sinks).join(', ');
        problems.push(source.problem(at('notify', i), `unknown sink "${sinkName}"; declare it under sinks: (known: ${known})`));
      }
    }

    const base = {
      name: monitor.name,
      mode: monitor.monitoring_mode,
      intervalSeconds: monitor.check_interval,
      schedule: monitor.schedule ?? null,
      notify: monitor.notify ?? [...DEFAULTS.notify],
      ref: ref(at('name')),
    };
    if (monitor.monitoring_mode === 'market') {
      const assets = marketAssets(monitor, at, compile, ref, problems, warnings, source);
      monitors.push({ ...base, assets, portfolio: null });
    } else {
      const portfolio = portfolioSettings(monitor, at, compile, problems, warnings, ref, source);
      if (portfolio !== null) monitors.push({ ...base, assets: [], portfolio });
    }
  });
  const outbox = { deadAfterSeconds: raw.outbox?.dead_after_seconds ?? 86_400, deadAfterAttempts: raw.outbox?.dead_after_attempts ?? 100 };
  return { config: { file: source.file, outbox, monitors, sinks, warnings }, problems };
}

type Compile = (text: string, path: YamlPath) => CompiledCondition | null;
type At = (...rest: Array<string | number>) => YamlPath;

function marketAssets(monitor: RawMonitor, at: At, compile: Compile, ref: (p: YamlPath) => SourceRef, problems: ConfigProblem[], warnings: ConfigWarning[], source: SourceContext): MarketSubjectConfig[] {
  for (const field of PORTFOLIO_ONLY) {
    if (monitor[field] !== undefined) problems.push(source.problem(at(field), `${field} is only for portfolio monitors; remove it or set monitoring_mode: portfolio`, { at: 'key' }));
  }
  if (monitor.monitored_assets === undefined || monitor.monitored_assets.length === 0) {
    problems.push(source.problem(at(), 'a market monitor needs monitored_assets: a list of { asset: BTC, condition: ">> 5%" }'));
    return [];
  }
  const seen = new Set<string>();
  const assets: MarketSubjectConfig[] = [];
  monitor.monitored_assets.forEach((entry, i) => {
    if (seen.has(entry.asset)) problems.push(source.problem(at('monitored_assets', i, 'asset'), `${entry.asset} is listed twice in this monitor`));
    seen.add(entry.asset);
    const defaultCondition = entry.condition === undefined;
    const condition = compile(entry.condition ?? DEFAULTS.assetCondition, at('monitored_assets', i, 'condition'));
    if (condition === null) return;
    const assetRef = ref(at('monitored_assets', i, 'asset'));
    if (defaultCondition) {
      warnings.push({ ref: assetRef, message: `${entry.asset} has no condition and uses the default "${DEFAULTS.assetCondition}", which fires on every check while the price is above 10; write a condition such as ">> 5%"` });
    }
    assets.push({ asset: entry.asset, symbol: symbolOf(entry.asset), condition, defaultCondition, ref: assetRef });
  });
  return assets;
}

function portfolioSettings(monitor: RawMonitor, at: At, compile: Compile, problems: ConfigProblem[], warnings: ConfigWarning[], ref: (p: YamlPath) => SourceRef, source: SourceContext) {
  if (monitor.monitored_assets !== undefined) {
    problems.push(source.problem(at('monitored_assets'), 'monitored_assets is only for market monitors; a portfolio monitor watches the whole account', { at: 'key' }));
  }
  const condition = compile(monitor.portfolio_condition ?? DEFAULTS.portfolioCondition, at('portfolio_condition'));
  let mockAccountData: unknown = null;
  if (monitor.mock_account_data !== undefined) {
    try {
      parseMockAccountData(monitor.mock_account_data);
      mockAccountData = monitor.mock_account_data;
    } catch (error) {
      if (!(error instanceof MockAccountDataError)) throw error;
      problems.push(source.problem(at('mock_account_data'), `${error.message}; expected {"balances":[{"asset":"BTC","free":"1","locked":"0"}]}`));
    }
    if (monitor.api_key !== undefined || monitor.api_secret !== undefined) {
      warnings.push({ ref: ref(at('mock_account_data')), message: 'mock_account_data replaces the account call; api_key and api_secret are not used' });
    }
  } else if (monitor.api_key === undefined || monitor.api_secret === undefined) {
    const missing = [monitor.api_key === undefined ? 'api_key' : null, monitor.api_secret === undefined ? 'api_secret' : null].filter(Boolean).join(' and ');
    problems.push(source.problem(at(), `a portfolio monitor needs api_key and api_secret (missing: ${missing}), or mock_account_data for testing`));
  }
  if (condition === null) return null;
  const credentials = monitor.mock_account_data === undefined && monitor.api_key !== undefined && monitor.api_secret !== undefined
    ? { apiKey: monitor.api_key, apiSecret: monitor.api_secret }
    : null;
  return { condition, credentials, mockAccountData };
}
