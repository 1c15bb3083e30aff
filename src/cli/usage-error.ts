/**
 * @module cli/usage-error — a mistake on the command line (unknown flag, bad value).
 */
import { AsterwatchError } from '../errors.js';

/** Exit code 1, message printed with a hint to `--help`. */
export class UsageError extends AsterwatchError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
