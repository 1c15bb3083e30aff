/**
 * A clock whose sleep advances virtual time at once, recording every wait, so that
 * rate-limit and backoff behaviour is asserted exactly without slowing the tests.
 */
import type { Clock } from '../../src/exchange/index.js';

export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    await Promise.resolve();
  }
}
