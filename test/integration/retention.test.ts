/**
 * Nothing grows without bound: events (with their settled deliveries) older than
 * retention_days are deleted by the service, pending ones never; the state of monitors
 * removed from the configuration is dropped at start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { ModeRegistry } from '../../src/modes/registry.js';
import { Service } from '../../src/service/service.js';
import { SqliteStore } from '../../src/store/index.js';
import { constantMode } from '../support/constant-mode.js';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0);

const event = (n: number, at: number) =>
  marketEvent(
    { monitor: 'kept', condition: '> 1', severity: SEVERITY.low, roundTime: at, checkedAt: new Date(at) },
    { asset: `A${n}`, symbol: `A${n}USDT`, current: 2, previous: 1 },
  );

describe('the service at start', () => {
  it('deletes settled events older than retention_days, keeps pending and recent ones, and forgets removed monitors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-retention-'));
    const state = join(dir, 'state.db');
    const seed = SqliteStore.open(state);
    const old = NOW - 40 * DAY;
    const [settled, pending] = await seed.commit({
      roundTime: old,
      checkedAt: old,
      states: [{ monitor: 'removed', subject: 'X', value: 1, previous: null, armed: false, checkedAt: old, version: 1 }],
      statuses: [{ monitor: 'removed', result: 'ok', error: null }],
      events: [
        { event: event(1, old), monitor: 'kept', severity: 0.15, sinks: ['done-sink'] },
        { event: event(2, old), monitor: 'kept', severity: 0.15, sinks: ['stuck-sink'] },
      ],
    });
    const claim = await seed.outbox.claim('done-sink', { limit: 1, leaseMs: 1000, now: old });
    await seed.outbox.ack(claim.token, settled!.seq, 'done-sink', old, 1000);
    await seed.commit({
      roundTime: NOW - DAY,
      checkedAt: NOW - DAY,
      states: [],
      statuses: [],
      events: [{ event: event(3, NOW - DAY), monitor: 'kept', severity: 0.15, sinks: [] }],
    });
    await seed.close();

    writeFileSync(
      join(dir, 'monitors.yaml'),
      'retention_days: 30\nmonitors:\n  - { name: kept, monitoring_mode: constant, value: 1, check_interval: 86400 }\n',
    );
    const service = Service.open({
      configPath: join(dir, 'monitors.yaml'),
      statePath: state,
      logger: silentLogger(),
      modes: new ModeRegistry().register(constantMode),
      now: () => NOW,
    });
    await service.start();
    await service.stop(1000);

    const after = SqliteStore.open(state);
    const ids = (await after.events.recent({ limit: 10 })).map((e) => e.event.id);
    expect(ids).toContain(pending!.event.id);
    expect(ids).toContain(event(3, NOW - DAY).id);
    expect(ids).not.toContain(settled!.event.id);
    expect((await after.statesOf('removed')).size).toBe(0);
    expect((await after.monitorStatuses()).has('removed')).toBe(false);
    await after.close();
  });

  it('refuses a retention period out of range, naming the field', async () => {
    const { parseConfig } = await import('../../src/config/index.js');
    expect(() =>
      parseConfig(
        'retention_days: 0\nmonitors:\n  - { name: m, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
        'monitors.yaml',
        {},
      ),
    ).toThrow(/monitors\.yaml:1:17: retention_days: must be at least 1 day/);
  });
});
