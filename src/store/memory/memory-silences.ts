/**
 * @module store/memory/memory-silences — silences held in memory.
 */
import type { Silence, SilenceStore } from '../silences.js';

export class MemorySilences implements SilenceStore {
  private readonly byId = new Map<string, Silence>();

  async add(silence: Silence): Promise<void> {
    if (this.byId.has(silence.id)) throw new Error(`a silence ${silence.id} exists already`);
    this.byId.set(silence.id, { ...silence });
  }

  async remove(id: string): Promise<boolean> {
    return this.byId.delete(id);
  }

  async list(at: number, options: { includeExpired?: boolean } = {}): Promise<Silence[]> {
    return [...this.byId.values()]
      .filter((s) => options.includeExpired === true || (s.startsAt <= at && at < s.endsAt))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((s) => ({ ...s }));
  }

  async prune(before: number): Promise<number> {
    let removed = 0;
    for (const [id, s] of this.byId) if (s.endsAt < before && this.byId.delete(id)) removed++;
    return removed;
  }
}
