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

/**
 * A virtual clock for concurrent sleepers: `sleep` queues a wake-up time, and `run`
 * advances time to the earliest one, wakes it, lets it run, and repeats until nothing
 * sleeps. Unlike VirtualClock (each sleep advances time at once, so concurrent sleeps
 * add up), every sleeper wakes exactly at its time, in order.
 */
export class QueuedClock implements Clock {
  readonly sleeps: number[] = [];
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  constructor(public time = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((wake) => this.sleepers.push({ at: this.time + Math.max(0, ms), wake }));
  }
  /** Wakes sleepers in time order until none is left (at most `maxWakes`, so a test cannot spin forever). */
  async run(maxWakes = 10_000): Promise<void> {
    for (let wakes = 0; wakes < maxWakes; wakes++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
    throw new Error(`QueuedClock: still sleeping after ${maxWakes} wake-ups`);
  }
}
