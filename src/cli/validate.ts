/**
 * @module cli/validate — `asterwatch validate`: exit 0 when valid, 1 with every error.
 */
import { ConfigError, formatProblem, loadConfig, needsExchangeLists, verifyAgainstExchange } from '../config/index.js';
import { AsterClient, ExchangeError, fetchExchangeInfo, fetchFuturesSymbols } from '../exchange/index.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { resolveConfigPath } from '../service/service.js';

export const VALIDATE_HELP = `Usage: asterwatch validate [--config FILE] [--offline]

Checks the configuration: its syntax, every field, every condition, and (when the
exchange answers) that every market asset has a USDT pair. Prints every error as
file:line:column: path: message, and warnings (such as an asset relying on the
default condition "> 10") the same way.

Options:
  -c, --config FILE  monitors file (default: $ASTERWATCH_CONFIG or ./monitors.yaml)
      --offline      do not ask the exchange about assets
  -h, --help         show this help

Exit status: 0 when valid, 1 otherwise.`;

export async function validateCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('validate', argv, { config: { type: 'string', short: 'c' }, offline: { type: 'boolean' } });
  if (booleanFlag(args, 'help')) {
    io.out(VALIDATE_HELP);
    return 0;
  }
  const config = loadConfig(resolveConfigPath(stringFlag(args, 'config')));
  for (const warning of config.warnings) {
    const { file, line, column, path } = warning.ref;
    io.err(formatProblem({ file, line, column, path, message: `warning: ${warning.message}` }));
  }
  let assetsChecked = 'not checked (--offline)';
  if (!needsExchangeLists(config)) {
    assetsChecked = 'not needed (no monitor names exchange symbols)';
  } else if (!booleanFlag(args, 'offline')) {
    const verification = await verifyAgainstExchange(
      config,
      {
        spot: async () => (await fetchExchangeInfo(new AsterClient({ timeoutMs: 5000, maxAttempts: 2 }))).symbols,
        futures: (venue) => fetchFuturesSymbols(venue, { timeoutMs: 5000, maxAttempts: 2 }),
      },
      (error): error is Error => error instanceof ExchangeError,
    );
    if (verification.problems.length > 0) throw new ConfigError(verification.problems);
    for (const reason of verification.unchecked) {
      if (reason.startsWith('spot ')) io.err(`${config.file}: note: assets were not checked against the exchange: ${verification.spotError}`);
      else io.err(`${config.file}: note: symbols were not checked against the exchange: ${reason}`);
    }
    if (verification.unchecked.length === 0) assetsChecked = 'checked against the exchange';
    else if (verification.spotError !== null && verification.unchecked.length === 1)
      assetsChecked = `not checked (exchange unreachable: ${verification.spotError})`;
    else assetsChecked = `not all checked (${verification.unchecked.join('; ')})`;
  }
  const sinkCount = Object.keys(config.sinks).length;
  io.out(
    `${config.file}: valid — ${config.monitors.length} monitor${config.monitors.length === 1 ? '' : 's'}, ${sinkCount} sink${sinkCount === 1 ? '' : 's'}; assets ${assetsChecked}`,
  );
  return 0;
}
