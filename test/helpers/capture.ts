/** A CommandIO that keeps what a command printed, for in-process CLI tests. */
import type { CommandIO } from '../../src/cli/io.js';

export interface Captured extends CommandIO {
  stdout: string[];
  stderr: string[];
}

export function capture(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}
