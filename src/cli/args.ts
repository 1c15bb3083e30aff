/**
 * @module cli/args — parsing a command's flags with node's parseArgs, errors as UsageError.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags of one command, read through the typed accessors below. */
export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** Parses argv for one command; `-h/--help` is always accepted. */
export function parseCommandArgs(command: string, argv: string[], options: Options, allowPositionals = false): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}\nRun 'asterwatch ${command} --help' for its options.`,
    );
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(args: ParsedArgs, flag: string): string | undefined {
  const value = args.values[flag];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean flag: true when given. */
export function booleanFlag(args: ParsedArgs, flag: string): boolean {
  return args.values[flag] === true;
}

/** A finite number from a flag, or a UsageError naming the flag. */
export function numberFlag(args: ParsedArgs, flag: string): number | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) return undefined;
  const value = Number(raw.replace(/_/g, ''));
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a finite number, got ${JSON.stringify(raw)}`);
  return value;
}
