/**
 * @module store/memory/memory-readings — readings held in memory, per key in time order.
 */
import { closerReading, type Reading, type ReadingStore } from '../readings.js';

export class MemoryReadings implements ReadingStore {
  private readonly byKey = new Map<string, Reading[]>();

  async record(key: string, at: number, value: number): Promise<void> {
    const list = this.byKey.get(key) ?? [];
    this.byKey.set(key, list);
    const same = list.findIndex((r) => r.at === at);
    if (same >= 0) list[same] = { at, value };
    else {
      list.push({ at, value });
      list.sort((a, b) => a.at - b.at);
    }
  }

  async nearest(key: string, target: number, toleranceMs: number): Promise<Reading | null> {
    const list = this.byKey.get(key) ?? [];
    const before = [...list].reverse().find((r) => r.at <= target && r.at >= target - toleranceMs) ?? null;
    const after = list.find((r) => r.at > target && r.at <= target + toleranceMs) ?? null;
    return closerReading(target, before === null ? null : { ...before }, after === null ? null : { ...after });
  }

  async prune(before: number): Promise<number> {
    let removed = 0;
    for (const [key, list] of this.byKey) {
      const kept = list.filter((r) => r.at >= before);
      removed += list.length - kept.length;
      if (kept.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, kept);
    }
    return removed;
  }
}
