/**
 * @module config/errors — configuration problems, reported all at once with positions.
 */
import { AsterwatchError } from '../errors.js';

/** One problem: where it is and what to do. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** YAML path such as `monitors[1].monitored_assets[0].condition`; empty for the document. */
  path: string;
  message: string;
  /** Extra lines shown under the message (a condition's caret). */
  detail?: string;
}

/** Formats `file:line:column: path: message` (+ detail lines). */
export function formatProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const head = problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
  return problem.detail === undefined ? head : `${head}\n${problem.detail}`;
}

/** Every configuration problem found; the CLI prints them and exits 1. */
export class ConfigError extends AsterwatchError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const count = problems.length === 1 ? '1 configuration error' : `${problems.length} configuration errors`;
    super('CONFIG_INVALID', `${problems.map(formatProblem).join('\n')}\n${count}; nothing was started.`);
    this.problems = problems;
  }
}

/** The configuration file cannot be read at all. */
export class ConfigFileError extends AsterwatchError {
  constructor(file: string, reason: string) {
    super('CONFIG_FILE', `${file}: ${reason}`);
  }
}
