/**
 * The silences part of the store contract: every implementation adds, lists those in effect
 * at a time (or all), removes by id, and prunes those ended before a cut.
 */
import { describe, expect, it } from 'vitest';
import { mutes, type Silence } from '../../src/store/index.js';
import { storeImplementations } from './implementations.js';

const IMPLEMENTATIONS = storeImplementations('aw-silences-');
const H = 3_600_000;

const silence = (id: string, startsAt: number, endsAt: number, extra: Partial<Silence> = {}): Silence => ({
  id,
  monitor: 'm',
  subject: null,
  startsAt,
  endsAt,
  comment: null,
  createdAt: startsAt,
  createdBy: 'cli',
  ...extra,
});

describe.each(IMPLEMENTATIONS)('the %s store’s silences', (_name, open) => {
  it('lists the silences in effect at a time, oldest first, or every one kept', async () => {
    const store = open();
    await store.silences.add(silence('a', 1 * H, 3 * H, { subject: 'BTC', comment: 'maintenance' }));
    await store.silences.add(silence('b', 2 * H, 5 * H, { monitor: 'other', createdBy: 'api' }));
    await store.silences.add(silence('c', 4 * H, 6 * H));
    expect((await store.silences.list(2.5 * H)).map((s) => s.id)).toEqual(['a', 'b']);
    expect(await store.silences.list(2.5 * H)).toContainEqual(silence('a', 1 * H, 3 * H, { subject: 'BTC', comment: 'maintenance' }));
    // The end is exclusive: at 3 h the first one is over.
    expect((await store.silences.list(3 * H)).map((s) => s.id)).toEqual(['b']);
    expect((await store.silences.list(7 * H)).map((s) => s.id)).toEqual([]);
    expect((await store.silences.list(7 * H, { includeExpired: true })).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('removes by id, and prunes those that ended before a cut', async () => {
    const store = open();
    await store.silences.add(silence('a', 0, 1 * H));
    await store.silences.add(silence('b', 0, 2 * H));
    await store.silences.add(silence('c', 0, 9 * H));
    expect(await store.silences.remove('b')).toBe(true);
    expect(await store.silences.remove('b')).toBe(false);
    expect(await store.silences.prune(5 * H)).toBe(1);
    expect((await store.silences.list(0, { includeExpired: true })).map((s) => s.id)).toEqual(['c']);
  });
});

describe('a silence mutes', () => {
  it('its monitor, every subject or the one named, while it is in effect', () => {
    const all = silence('a', 1 * H, 2 * H);
    const one = silence('b', 1 * H, 2 * H, { subject: 'BTC' });
    expect(mutes(all, 'm', 'ETH', 1.5 * H)).toBe(true);
    expect(mutes(all, 'other', 'ETH', 1.5 * H)).toBe(false);
    expect(mutes(all, 'm', 'ETH', 2 * H)).toBe(false);
    expect(mutes(all, 'm', 'ETH', 0.5 * H)).toBe(false);
    expect(mutes(one, 'm', 'BTC', 1.5 * H)).toBe(true);
    expect(mutes(one, 'm', 'ETH', 1.5 * H)).toBe(false);
  });
});
