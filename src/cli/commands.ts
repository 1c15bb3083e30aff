/**
 * @module cli/commands — the table of commands; adding one is one line here.
 */
import { explainCommand } from './explain.js';
import type { CommandIO } from './io.js';

export type Command = (argv: string[], io: CommandIO) => number | Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  explain: explainCommand,
};

export const MAIN_HELP = `asterwatch — condition monitors for the Aster DEX exchange

Usage: asterwatch <command> [options]

Commands:
  explain '<condition>'  describe a condition and try it on values

Run 'asterwatch <command> --help' for a command's options; 'asterwatch --version' for the version.`;
