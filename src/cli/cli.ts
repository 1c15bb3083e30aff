/**
 * @module cli/cli — dispatching `asterwatch <command>` to one file per command, in-process.
 *
 * Exit codes: 0 success; 1 a user mistake (usage, configuration, condition syntax);
 * 2 a runtime failure (a check failed, the exchange or the database misbehaved).
 */
import { dirname, resolve } from 'node:path';
import { loadDotEnv } from '../config/env.js';
import { AsterwatchError } from '../errors.js';
import { COMMANDS, MAIN_HELP } from './commands.js';
import { processIO, type CommandIO } from './io.js';
import { packageVersion } from './version.js';

/** Runs the CLI with argv (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(MAIN_HELP);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(packageVersion());
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    io.err(`asterwatch: unknown command ${JSON.stringify(name)}\n\n${MAIN_HELP}`);
    return 1;
  }
  loadEnvironment(rest);
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** User mistakes print their message alone; anything unexpected prints its stack too. */
export function reportError(error: unknown, io: CommandIO): number {
  if (error instanceof AsterwatchError && error.userFacing) {
    io.err(error.message);
    return error.code === 'USAGE' || error.code === 'CONDITION_SYNTAX' || error.code.startsWith('CONFIG') ? 1 : 2;
  }
  if (error instanceof AsterwatchError) {
    io.err(`asterwatch: ${error.message} [${error.code}]`);
    return 2;
  }
  io.err(`asterwatch: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 2;
}

/**
 * One rule for every variable: `.env` beside the configuration file (`--config`, else
 * ASTERWATCH_CONFIG, else ./monitors.yaml) is read before anything reads the environment
 * (LOG_LEVEL, HTTP_PORT, HTTP_TOKEN, ASTERWATCH_STATE, ASTER_BASE_URL, the ${VAR}s of the
 * file). Variables already set in the real environment win.
 */
function loadEnvironment(argv: readonly string[]): void {
  let config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--config' || arg === '-c') && i + 1 < argv.length) config = argv[i + 1];
    else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
  }
  loadDotEnv(dirname(resolve(config ?? process.env.ASTERWATCH_CONFIG ?? 'monitors.yaml')));
}
