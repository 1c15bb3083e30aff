/**
 * @module cli/io — where a command writes, injectable so commands are testable in-process.
 */

/** Standard output for results and events, standard error for messages. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
