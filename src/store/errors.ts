/**
 * @module store/errors — problems with the state database.
 */
import { AsterwatchError } from '../errors.js';

export class StoreError extends AsterwatchError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? {} : { cause });
  }
}

/**
 * A commit computed from states another writer has changed since: nothing was written.
 * The caller re-reads the states and evaluates again (so a once-alert fires once).
 */
export class StaleStateError extends StoreError {
  readonly subjects: Array<{ monitor: string; subject: string }>;
  constructor(subjects: Array<{ monitor: string; subject: string }>) {
    const shown = subjects
      .slice(0, 3)
      .map((s) => `${s.monitor}/${s.subject}`)
      .join(', ');
    super(
      'STORE_STALE',
      `state of ${shown}${subjects.length > 3 ? ` and ${subjects.length - 3} more` : ''} changed since it was read (another process wrote it); re-read and evaluate again`,
    );
    this.subjects = subjects;
  }
}
