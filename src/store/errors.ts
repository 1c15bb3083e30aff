/**
 * @module store/errors — problems with the state database.
 */
import { AsterwatchError } from '../errors.js';

export class StoreError extends AsterwatchError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? {} : { cause });
  }
}
