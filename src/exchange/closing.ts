/**
 * @module exchange/closing — shutting the client down: no request outlives the service.
 *
 * At shutdown the service closes its client: requests in flight are aborted and the waits
 * between attempts (backoff, weight budget, 429 windows) end at once, so a round stuck on
 * a slow exchange cannot keep the process alive or write after the store is closed.
 */
import type { Clock } from './clock.js';
import { ExchangeError } from './errors.js';

/** The client was closed while a request was under way (the process is shutting down). */
export class ExchangeClosedError extends ExchangeError {
  constructor(endpoint: string) {
    super('EXCHANGE_CLOSED', endpoint, `the request to ${endpoint} was abandoned: asterwatch is shutting down`);
  }
}

/** `clock` whose sleeps end, rejecting with ExchangeClosedError, when `signal` aborts. */
export function closableClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new ExchangeClosedError('(waiting)'));
        const onAbort = (): void => reject(new ExchangeClosedError('(waiting)'));
        signal.addEventListener('abort', onAbort, { once: true });
        clock.sleep(ms).then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, reject);
      }),
  };
}
