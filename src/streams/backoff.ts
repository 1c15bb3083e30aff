/**
 * @module streams/backoff — exponential reconnect delays with jitter.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

/** Delays of 1 s, 2 s, 4 s … up to the ceiling, each with equal jitter (half fixed, half random). */
export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** After a connection proved healthy (it delivered a message). */
  reset(): void {
    this.attempt = 0;
  }
}
