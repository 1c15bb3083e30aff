/**
 * @module errors — the base of every error asterwatch throws on purpose.
 *
 * Each has a stable `code` (documented in the README) so that callers and tests
 * branch on the code, never on the wording. `userFacing` errors are printed as
 * their message alone: a configuration or input mistake never shows a stack trace.
 */
export class AsterwatchError extends Error {
  /** Stable machine-readable code, e.g. `CONDITION_SYNTAX`. */
  readonly code: string;
  /** True when the error is the user's to fix: print the message, not the stack. */
  readonly userFacing: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; userFacing?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userFacing = options.userFacing ?? true;
  }
}
