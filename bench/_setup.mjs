// Shared set-up for the benchmarks: a local fake exchange and a round runner on the built code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../dist/config/index.js';
import { AsterClient } from '../dist/exchange/index.js';
import { silentLogger } from '../dist/log/logger.js';
import { RoundRunner } from '../dist/scheduler/round.js';
import { liveCatalog, Ticker24hrBaselineSource, TickerPriceSource } from '../dist/sources/index.js';
import { SqliteStore } from '../dist/store/index.js';
import { FakeExchange } from '../dist/testing/fake-exchange.js';

export async function startExchange(symbolCount) {
  const exchange = await new FakeExchange().start();
  for (let i = 0; i < symbolCount; i++) exchange.setPrice(assetName(i) + 'USDT', 100 + i, 90 + i);
  return exchange;
}

export function assetName(i) {
  let name = 'X';
  let n = i;
  do {
    name += String.fromCharCode(65 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return name;
}

/** N market monitors, each watching `assetsPerMonitor` of `assetCount` assets. */
export function marketConfig(monitorCount, assetCount, assetsPerMonitor, condition) {
  const lines = ['monitors:'];
  for (let m = 0; m < monitorCount; m++) {
    const assets = [];
    for (let a = 0; a < Math.min(assetsPerMonitor, assetCount); a++) assets.push(`{ asset: ${assetName((m + a) % assetCount)}, condition: "${condition}" }`);
    lines.push(`  - { name: m${m}, monitoring_mode: market, monitored_assets: [${assets.join(', ')}] }`);
  }
  return parseConfig(lines.join('\n') + '\n', 'bench.yaml', {});
}

export function roundRunner(exchange, { statePath = join(mkdtempSync(join(tmpdir(), 'aw-bench-')), 'state.db'), onPrices } = {}) {
  const client = new AsterClient({ baseUrl: exchange.url, maxAttempts: 1 });
  const ticker = new TickerPriceSource(client);
  const prices = onPrices
    ? {
        snapshot: async (at) => {
          const start = performance.now();
          const s = await ticker.snapshot(at);
          onPrices(performance.now() - start);
          return s;
        },
      }
    : ticker;
  const store = SqliteStore.open(statePath);
  const runner = new RoundRunner({
    sources: liveCatalog(client, prices),
    baseline: new Ticker24hrBaselineSource(client, silentLogger()),
    store,
    logger: silentLogger(),
    route: (m) => [...m.notify],
  });
  return { client, store, runner };
}
