import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore, StaleStateError, type GuardedStateWrite } from '../../src/store/index.js';

// Two connections to one file doing random commits (writes, forgets, both of one subject, a
// subject twice), folds, forgets of whole monitors, reopens as after kill -9, closes and stale
// commits; after every step both must read exactly what a plain model of the commits says.
const MONITORS = ['a', 'b', 'c'];
const SUBJECTS = ['X', 'Y', 'Z'];
const SEEDS = 40;
const STEPS = 60;

/** A small deterministic generator: a failing seed replays exactly. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

type Model = Map<string, Map<string, { version: number; value: number }>>;

async function seen(store: SqliteStore, monitor: string): Promise<string[]> {
  return [...(await store.statesOf(monitor)).values()].map((s) => `${s.subject}:${s.version}:${s.value}`).sort();
}
const expected = (model: Model, monitor: string) => [...(model.get(monitor) ?? new Map()).entries()].map(([s, x]) => `${s}:${x.version}:${x.value}`).sort();

describe('the journaled states against a model, two connections, random steps', () => {
  it.each(Array.from({ length: SEEDS }, (_, i) => i + 1))('seed %i', async (seed) => {
    const r = random(seed);
    const path = join(mkdtempSync(join(tmpdir(), 'aw-journal-model-')), 'state.db');
    const connections = [SqliteStore.open(path), SqliteStore.open(path)];
    const model: Model = new Map();
    const log: string[] = [];
    let value = 0;
    const state = (monitor: string, subject: string, version: number): GuardedStateWrite => ({
      monitor,
      subject,
      value: ++value,
      previous: null,
      armed: true,
      checkedAt: value,
      version,
    });
    for (let step = 0; step < STEPS; step++) {
      const which = r() < 0.5 ? 0 : 1;
      const store = connections[which]!;
      const op = r();
      if (op < 0.6) {
        const states: GuardedStateWrite[] = [];
        const forget: Array<{ monitor: string; subject: string; expectedVersion: number }> = [];
        for (const m of MONITORS) {
          if (r() < 0.4) continue;
          const read = await store.statesOf(m);
          for (const s of SUBJECTS) {
            const x = r();
            const current = read.get(s)?.version;
            if (x < 0.4) states.push(state(m, s, (current ?? 0) + 1));
            else if (x < 0.55 && current !== undefined) forget.push({ monitor: m, subject: s, expectedVersion: current });
            else if (x < 0.65 && current !== undefined) {
              states.push(state(m, s, current + 1));
              forget.push({ monitor: m, subject: s, expectedVersion: current });
            } else if (x < 0.7) states.push(state(m, s, (current ?? 0) + 1), state(m, s, (current ?? 0) + 1));
          }
        }
        log.push(`${which} commit ${states.map((s) => `${s.monitor}${s.subject}v${s.version}`)} forget ${forget.map((f) => f.monitor + f.subject)}`);
        await store.commit({ roundTime: 1, checkedAt: 1, states, forget, statuses: [], events: [] });
        for (const s of states) {
          if (!model.has(s.monitor)) model.set(s.monitor, new Map());
          model.get(s.monitor)!.set(s.subject, { version: s.version, value: s.value });
        }
        for (const f of forget) model.get(f.monitor)?.delete(f.subject);
      } else if (op < 0.7) {
        log.push(`${which} fold`);
        store.foldNow();
      } else if (op < 0.78) {
        const keep = MONITORS.filter(() => r() < 0.7);
        log.push(`${which} forget all but ${keep}`);
        await store.forgetMonitorsExcept(keep);
        for (const m of [...model.keys()]) if (!keep.includes(m)) model.delete(m);
      } else if (op < 0.86) {
        log.push(`${which} reopened as after kill -9`);
        connections[which] = SqliteStore.open(path);
      } else if (op < 0.92) {
        log.push(`${which} closed and reopened`);
        await store.close();
        connections[which] = SqliteStore.open(path);
      } else {
        const m = MONITORS[Math.floor(r() * MONITORS.length)]!;
        const s = SUBJECTS[Math.floor(r() * SUBJECTS.length)]!;
        const current = (await store.statesOf(m)).get(s)?.version ?? 0;
        log.push(`${which} stale commit ${m}${s}`);
        await expect(store.commit({ roundTime: 1, checkedAt: 1, states: [state(m, s, current + 5)], statuses: [], events: [] })).rejects.toBeInstanceOf(
          StaleStateError,
        );
      }
      for (const [k, connection] of connections.entries())
        for (const m of MONITORS) expect(await seen(connection, m), `connection ${k}, monitor ${m}, after:\n${log.join('\n')}`).toEqual(expected(model, m));
    }
    for (const store of connections) await store.close();
    const fresh = SqliteStore.open(path);
    for (const m of MONITORS) expect(await seen(fresh, m), log.join('\n')).toEqual(expected(model, m));
    await fresh.close();
  });
});
