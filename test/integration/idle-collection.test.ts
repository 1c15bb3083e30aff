/**
 * The service collects garbage in the idle time after its rounds when asked to (the `run`
 * command asks), never while a round runs (issue 16: resident memory at 10,000 monitors).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { ModeRegistry } from '../../src/modes/registry.js';
import { IDLE_COLLECTION_DELAY_MS } from '../../src/service/idle-collector.js';
import { Service } from '../../src/service/service.js';
import { constantMode } from '../support/constant-mode.js';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the service's idle collection", () => {
  it('runs after a round, once the round is over, and only when the heap grew', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-idle-gc-'));
    writeFileSync(join(dir, 'monitors.yaml'), 'monitors:\n  - { name: c, monitoring_mode: constant, value: 2 }\n');
    const heap = { used: 100 * MB, collectedDuringRound: false, collections: 0, inRound: false };
    const service = Service.open({
      configPath: join(dir, 'monitors.yaml'),
      statePath: join(dir, 'state.db'),
      logger: silentLogger(),
      modes: new ModeRegistry().register(constantMode),
      idleCollection: {
        collect: () => {
          heap.collections++;
          if (heap.inRound) heap.collectedDuringRound = true;
          heap.used = 40 * MB;
        },
        heapUsed: () => heap.used,
      },
    });
    try {
      heap.inRound = true;
      await service.runRound(60_000);
      heap.inRound = false;
      expect(heap.collections).toBe(0); // not at once: a round due at the same time runs first
      await sleep(IDLE_COLLECTION_DELAY_MS + 200);
      expect(heap.collections).toBe(1);
      // A round that left the heap as it found it: nothing to collect.
      heap.used = 41 * MB;
      await service.runRound(120_000);
      await sleep(IDLE_COLLECTION_DELAY_MS + 200);
      expect(heap.collections).toBe(1);
      heap.used = 80 * MB;
      await service.runRound(180_000);
      await sleep(IDLE_COLLECTION_DELAY_MS + 200);
      expect(heap.collections).toBe(2);
      expect(heap.collectedDuringRound).toBe(false);
    } finally {
      await service.stop(1000);
    }
  });
});
