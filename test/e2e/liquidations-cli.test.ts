/**
 * The liquidation feed through the real CLI: `run` records a local WebSocket exchange,
 * survives kill -9 (rows kept, the downtime recorded as a bounded gap), and
 * `asterwatch liquidations` / `liquidations tail` show it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil } from '../helpers/lines.js';
import { frame } from '../support/liquidations.js';

let exchange: FakeExchange;
let stream: FakeStreamServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 60000);
  stream = await new FakeStreamServer().start();
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-liq-'));
  env = { ASTER_BASE_URL: exchange.url, ASTER_WS_URL: stream.url(), ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
  writeFileSync(
    join(dir, 'monitors.yaml'),
    'liquidations:\n  venues: [aster]\nmonitors:\n  - { name: m, monitoring_mode: market, check_interval: 3600, monitored_assets: [{ asset: BTC, condition: ">> 1M" }] }\n',
  );
});

afterEach(async () => {
  await stream.stop();
  await exchange.stop();
});

async function summary(): Promise<{
  windows: Array<{ window: string; total_usd: number; count: number; long_usd: number; short_usd: number }>;
  gaps: Array<{ start: string; end: string }>;
  complete: boolean;
  largest: { asset: string } | null;
  leaders: Array<{ symbol: string }>;
}> {
  const result = await runCli(['liquidations', '--json'], { env });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('asterwatch run with a liquidations: section', () => {
  it('records the stream, keeps it across kill -9, and records the time it was down as a bounded gap', async () => {
    const first = startCli(['run', '--config', join(dir, 'monitors.yaml')], { env });
    await waitUntil(() => stream.clients.size === 1, 15_000, 'the service to connect');
    const now = Date.now();
    stream.broadcast(frame({ s: 'ETHUSDT', S: 'SELL', q: '72.9', p: '4319.20', T: now - 1000 }));
    stream.broadcast(frame({ s: 'BTCUSDT', S: 'BUY', q: '18.562', p: '64647.00', T: now - 500 }));
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a commit and a sign of life
    const killedAt = Date.now();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const second = startCli(['run', '--config', join(dir, 'monitors.yaml')], { env });
    await waitUntil(() => stream.clients.size === 1, 15_000, 'the restarted service to connect');
    const reconnectedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.kill('SIGTERM');
    expect(await new Promise((resolve) => second.on('exit', resolve))).toBe(0);

    const report = await summary();
    const day = report.windows.find((w) => w.window === '24h')!;
    expect(day.count).toBe(2);
    expect(day.long_usd).toBeCloseTo(4319.2 * 72.9, 2);
    expect(day.short_usd).toBeCloseTo(64647 * 18.562, 2);
    expect(report.largest?.asset).toBe('BTC');
    expect(report.complete).toBe(false);
    const downtime = report.gaps.map((g) => ({ start: Date.parse(g.start), end: Date.parse(g.end) })).find((g) => g.end >= reconnectedAt - 2000);
    expect(downtime).toBeDefined();
    // Bounded by the last sign of life (at most 5 s before the kill) and the reconnection.
    expect(downtime!.start).toBeGreaterThanOrEqual(killedAt - 5000);
    expect(downtime!.start).toBeLessThanOrEqual(killedAt);
    expect(downtime!.end).toBeLessThanOrEqual(reconnectedAt + 1000);
  });
});

describe('asterwatch liquidations', () => {
  it('tails the live stream without configuration, printing large liquidations as one line, and exits 0 on SIGINT', async () => {
    const child = startCli(['liquidations', 'tail', '--min-usd', '100k'], { env: { ASTER_WS_URL: stream.url(), LOG_LEVEL: 'warn' }, cwd: dir });
    const stdout = new LineCollector(child.stdout!);
    await waitUntil(() => stream.clients.size === 1, 15_000, 'tail to connect');
    stream.broadcast(frame({ s: 'ETHUSDT', S: 'SELL', q: '72.9', p: '4319.20', T: Date.now() }));
    stream.broadcast(frame({ s: 'DOGEUSDT', S: 'SELL', q: '100', p: '0.1', T: Date.now() })); // $10: below the amount
    stream.broadcast(frame({ s: 'BTCUSDT', S: 'BUY', q: '18.562', p: '64647.00', T: Date.now() }));
    await stdout.waitFor((line) => line.includes('#BTC'));
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(stdout.lines.filter(Boolean)).toEqual(['🔴 #ETH Long Liquidation: $314.9k @ $4,319.2', '🟢 #BTC Short Liquidation: $1.2M @ $64,647']);
  });

  it('says where to look when there is no state database, with exit 1', async () => {
    const result = await runCli(['liquidations', '--state', join(dir, 'nothing.db')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no state database at');
  });

  it('refuses a bad flag value naming the flag', async () => {
    for (const [flags, message] of [
      [['--since', 'forever'], '--since must be a duration'],
      [['--venue', 'kraken'], '--venue must be aster or binance'],
      [['tail', '--min-usd', 'lots'], '--min-usd must be an amount'],
    ] as const) {
      const result = await runCli(['liquidations', ...flags], { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    }
  });
});
