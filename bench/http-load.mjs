// Figure for issue 6: the events API and the SSE stream under 200 concurrent clients on
// loopback (100 API pollers, 100 SSE listeners), for 10 s, while rounds run every 500 ms.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer } from '../dist/http/server.js';
import { silentLogger } from '../dist/log/logger.js';
import { Service } from '../dist/service/service.js';
import { FakeExchange } from '../dist/testing/fake-exchange.js';
import { quantile, runLoad } from '../dist/testing/http-load.js';

const DURATION_MS = 10_000;
const exchange = await new FakeExchange().start();
exchange.setPrice('BTCUSDT', 60000, 50000);
exchange.setPrice('ETHUSDT', 3000, 2000);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-http-'));
writeFileSync(
  join(dir, 'monitors.yaml'),
  `monitors:\n${Array.from({ length: 50 }, (_, i) => `  - { name: m${i}, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }, { asset: ETH, condition: "> 5%" }] }`).join('\n')}\n`,
);
const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
const server = await startHttpServer(service, { host: '127.0.0.1', port: 0 }, silentLogger());

let running = true;
let rounds = 0;
const raisedAt = new Map();
let roundLoop = Promise.resolve();
const startRounds = () => {
  setTimeout(() => (running = false), DURATION_MS - 1000);
  roundLoop = (async () => {
    while (running) {
      const outcome = await service.runRound(Date.now());
      const now = Date.now();
      for (const { event } of outcome.events) raisedAt.set(event.id, now);
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
};
const result = await runLoad({
  baseUrl: server.url,
  pollers: 100,
  streams: 100,
  durationMs: DURATION_MS,
  paths: ['/api/events?limit=50', '/api/monitors', '/api/events?limit=20&monitor=m7', '/metrics', '/readyz'],
  onStreamsOpen: startRounds,
});
await roundLoop;
const raised = raisedAt.size;
const received = result.streamEvents.map((ids) => ids.size);
const l = result.latenciesMs;
console.log('## HTTP surface under 200 concurrent loopback clients (100 API pollers + 100 SSE), 10 s, rounds every 500 ms');
console.log(
  `API: ${result.requests} requests, ${(result.requests / (result.elapsedMs / 1000)).toFixed(0)} requests/s, errors ${result.errors}, statuses ${JSON.stringify(result.statuses)}`,
);
console.log(
  `API latency: median ${quantile(l, 0.5).toFixed(1)} ms, p99 ${quantile(l, 0.99).toFixed(1)} ms, max ${l.at(-1).toFixed(1)} ms (mix of /api/events, /api/monitors, /metrics, /readyz)`,
);
console.log(
  `SSE: ${rounds} rounds raised ${raised} events; every one of the 100 streams received ${Math.min(...received)}..${Math.max(...received)} of them; stream errors ${result.streamErrors}`,
);
await server.close();
await service.stop(1000);
await exchange.stop();
