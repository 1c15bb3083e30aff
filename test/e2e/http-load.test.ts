import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { Service } from '../../src/service/service.js';
import { runLoad } from '../../src/testing/http-load.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

describe('the HTTP surface under 200 concurrent clients while rounds run', () => {
  it('answers every API request and streams every event to every SSE client', async () => {
    const exchange = await new FakeExchange().start();
    exchange.setPrice('BTCUSDT', 60000, 50000);
    const dir = mkdtempSync(join(tmpdir(), 'aw-load-'));
    writeFileSync(
      join(dir, 'monitors.yaml'),
      `monitors:\n${Array.from({ length: 20 }, (_, i) => `  - { name: m${i}, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }`).join('\n')}\n`,
    );
    const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
    const server = await startHttpServer(service, { host: '127.0.0.1', port: 0 }, silentLogger());
    let rounds = 0;
    let running = true;
    let roundLoop: Promise<void> = Promise.resolve();
    let stopRounds: NodeJS.Timeout | undefined;
    // Rounds start once every stream is connected and stop with the load; the streams stay
    // open 1.5 s longer to receive the last round's events.
    const startRounds = () => {
      stopRounds = setTimeout(() => (running = false), 2500);
      roundLoop = (async () => {
        for (let i = 0; running && i < 100; i++) {
          await service.runRound(Date.now());
          rounds++;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
    };
    try {
      const result = await runLoad({
        baseUrl: server.url,
        pollers: 100,
        streams: 100,
        durationMs: 3000,
        paths: ['/api/events?limit=50', '/api/monitors', '/api/events?limit=10&monitor=m3'],
        onStreamsOpen: startRounds,
      });
      running = false;
      await roundLoop;
      expect(rounds).toBeGreaterThanOrEqual(3);
      expect(result.errors).toBe(0);
      expect(result.streamErrors).toBe(0);
      expect(Object.keys(result.statuses)).toEqual(['200']);
      expect(result.requests).toBeGreaterThan(100);
      const raised = await service.store.events.count();
      expect(raised).toBe(rounds * 20);
      // Every stream saw every event raised while it was open (all of them: streams opened first).
      for (const ids of result.streamEvents) expect(ids.size).toBe(raised);
    } finally {
      clearTimeout(stopRounds);
      running = false;
      await server.close();
      await service.stop(1000);
      await exchange.stop();
    }
  }, 60_000);
});
