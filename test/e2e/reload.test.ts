/**
 * Live reload with the real CLI: `run` follows monitors.yaml — a change that adds, changes and
 * removes monitors applies without a restart (the unchanged one keeps its state), an invalid edit
 * is refused with every problem logged and the running configuration kept, and SIGHUP reloads.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil, waitUntilAsync } from '../helpers/lines.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { frame } from '../support/liquidations.js';
import { Receiver } from '../helpers/receiver.js';

let exchange: FakeExchange;
let dir: string;
let file: string;
let env: NodeJS.ProcessEnv;
let service: ChildProcess | null = null;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 60000);
  exchange.setPrice('ETHUSDT', 3000, 3000);
  dir = mkdtempSync(join(tmpdir(), 'aw-reload-'));
  file = join(dir, 'monitors.yaml');
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
});

afterEach(async () => {
  if (service !== null && service.exitCode === null && service.signalCode === null) {
    service.kill('SIGKILL');
    await new Promise((resolve) => service!.on('exit', resolve));
  }
  service = null;
  await exchange.stop();
});

const monitor = (name: string, asset: string, condition: string) =>
  `  - name: ${name}\n    monitoring_mode: market\n    check_interval: 3600\n    monitored_assets: [{ asset: ${asset}, condition: "${condition}" }]\n`;
/** Written as an editor saves: a new file renamed over the old one. */
function save(text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

async function start() {
  const probe = await new Receiver().start();
  const port = Number(new URL(probe.url).port);
  await probe.stop();
  service = startCli(['run', '--config', file, '--http', `127.0.0.1:${port}`], { env });
  const out = new LineCollector(service.stdout!);
  const logs = new LineCollector(service.stderr!);
  await logs.waitFor((l) => l.includes('asterwatch started'), 20_000);
  const base = `http://127.0.0.1:${port}`;
  const get = async (path: string) => (await fetch(base + path)).text();
  const monitors = async () =>
    JSON.parse(await get('/api/monitors')) as {
      monitors: Array<{ name: string; subjects: Array<{ armed: boolean; value: number | null; condition: string }> }>;
      config: { loaded_at: string; reloads: { success: number; failure: number } };
    };
  const events = () => out.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { data: { monitor: string } });
  return { out, logs, get, monitors, events };
}

describe('live reload of monitors.yaml', () => {
  it('adds, changes and removes monitors while running; the unchanged one keeps its state', async () => {
    save(`monitors:\n${monitor('keep', 'BTC', '>> 50000')}${monitor('change', 'ETH', '>> 2000')}${monitor('gone', 'BTC', '>> 1')}`);
    const s = await start();
    await waitUntilAsync(async () => s.events().length === 3, 15_000, 'the first round of the three monitors');
    const loadedAt = (await s.monitors()).config.loaded_at;

    save(`monitors:\n${monitor('keep', 'BTC', '>> 50000')}${monitor('change', 'ETH', '>> 2500')}${monitor('added', 'ETH', '>> 1000')}`);
    await s.logs.waitFor((l) => l.includes('configuration reloaded'), 15_000);
    const line = JSON.parse(s.logs.lines.find((l) => l.includes('configuration reloaded'))!) as Record<string, unknown>;
    expect(line).toMatchObject({ added: ['added'], changed: ['change'], removed: ['gone'], unchanged: 1 });
    // The changed and the new monitor run at once; the unchanged once-alert does not fire again.
    await waitUntilAsync(async () => s.events().length === 5, 15_000, 'the changed and the added monitor to run');
    expect(
      s
        .events()
        .slice(3)
        .map((e) => e.data.monitor)
        .sort(),
    ).toEqual(['added', 'change']);
    const after = await s.monitors();
    expect(after.monitors.map((m) => m.name)).toEqual(['keep', 'change', 'added']);
    expect(after.monitors[0]!.subjects[0]).toMatchObject({ armed: false, value: 60000 });
    expect(after.monitors[1]!.subjects[0]!.condition).toBe('>> 2500');
    expect(Date.parse(after.config.loaded_at)).toBeGreaterThan(Date.parse(loadedAt));
    expect(after.config.reloads).toEqual({ success: 1, failure: 0 });
    const db = new Database(env.ASTERWATCH_STATE!, { readonly: true });
    try {
      expect((db.prepare("SELECT COUNT(*) AS n FROM subject_state WHERE monitor = 'gone'").get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
    expect(await s.get('/metrics')).toMatch(/asterwatch_config_reloads_total\{result="success"\} 1/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(s.events()).toHaveLength(5);
  }, 60_000);

  it('refuses an invalid edit with every problem logged, keeps running the old configuration, and reloads on SIGHUP', async () => {
    save(`monitors:\n${monitor('keep', 'BTC', '>> 50000')}`);
    const s = await start();
    await waitUntilAsync(async () => s.events().length === 1, 15_000, 'the first round');

    save(`monitors:\n${monitor('keep', 'BTC', '>> 5x0000')}  - name: second\n    monitoring_mode: market\n    check_interval: 5\n`);
    await s.logs.waitFor((l) => l.includes('it was refused and the running one is kept'), 15_000);
    const errors = s.logs.lines.filter((l) => l.includes('"level":50')).map((l) => JSON.parse(l) as { msg: string; problems?: number });
    expect(errors.map((e) => e.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/monitors\.yaml:5:\d+: monitors\[0\]\.monitored_assets\[0\]\.condition: condition ">> 5x0000": column 5/),
        expect.stringMatching(/monitors\.yaml:\d+:\d+: monitors\[1\]\.check_interval: must be at least 60 seconds/),
        expect.stringMatching(/monitors\.yaml:\d+:\d+: monitors\[1\]: a market monitor needs monitored_assets/),
      ]),
    );
    expect(errors.find((e) => e.problems !== undefined)?.problems).toBe(3);
    let current = await s.monitors();
    expect(current.monitors.map((m) => m.name)).toEqual(['keep']);
    expect(current.monitors[0]!.subjects[0]!.condition).toBe('>> 50000');
    expect(current.config.reloads.failure).toBe(1);
    expect(await s.get('/metrics')).toMatch(/asterwatch_config_reloads_total\{result="failure"\} 1/);

    // Fixed, and applied on SIGHUP too (an unchanged file reloads as a no-op).
    save(`monitors:\n${monitor('keep', 'BTC', '>> 50000')}`);
    await waitUntilAsync(async () => (await s.monitors()).config.reloads.success === 1, 15_000, 'the fixed file to reload');
    service!.kill('SIGHUP');
    await waitUntilAsync(async () => (await s.monitors()).config.reloads.success === 2, 15_000, 'the SIGHUP reload');
    expect(s.logs.lines.some((l) => l.includes('"reason":"SIGHUP"'))).toBe(true);
    current = await s.monitors();
    expect(current.monitors[0]!.subjects[0]).toMatchObject({ armed: false });
    expect(s.events()).toHaveLength(1);
    expect(service!.exitCode).toBeNull();
  }, 60_000);

  it('applies new sinks and changed liquidation monitors (their stream restarts) without a restart', async () => {
    const stream = await new FakeStreamServer().start();
    const hook = await new Receiver().start();
    try {
      env.ASTER_FUTURES_URL = exchange.url;
      env.ASTER_WS_URL = stream.url();
      save('monitors:\n  - name: whales\n    monitoring_mode: liquidations\n    condition: ">= 50k"\n');
      const s = await start();
      await waitUntil(() => stream.clients.size === 1, 15_000, 'the stream client');
      const usd = (amount: number) => frame({ s: 'BTCUSDT', S: 'SELL', q: String(amount / 1000), p: '1000', T: Date.now() });
      stream.broadcast(usd(60_000));
      await waitUntilAsync(async () => s.events().length === 1, 10_000, 'the first liquidation on stdout');

      save(
        `sinks:\n  hook: { type: webhook, url: "${hook.url}/alerts" }\nmonitors:\n  - name: whales\n    monitoring_mode: liquidations\n    condition: ">= 100k"\n    notify: [hook]\n`,
      );
      await s.logs.waitFor((l) => l.includes('configuration reloaded'), 15_000);
      expect(JSON.parse(s.logs.lines.find((l) => l.includes('configuration reloaded'))!)).toMatchObject({ changed: ['whales'], sinksChanged: true });
      await waitUntil(() => stream.clients.size >= 1, 15_000, 'the stream client after the reload');
      await new Promise((resolve) => setTimeout(resolve, 500));
      stream.broadcast(usd(70_000)); // under the new threshold
      stream.broadcast(usd(150_000));
      await waitUntil(() => hook.received.length === 1, 15_000, 'the delivery to the new sink');
      expect(JSON.parse(hook.received[0]!.body).data.notional_usd).toBe(150_000);
      expect(s.events()).toHaveLength(1); // stdout is no longer notified
    } finally {
      await hook.stop();
      await stream.stop();
    }
  }, 60_000);
});

/** A TCP server that accepts connections and never answers (a hung webhook or exchange). */
async function silentServer(): Promise<{ port: number; sockets: Socket[]; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('SIGHUP while stopping', () => {
  it('is ignored: the shutdown finishes and the exit code is 0', async () => {
    // A webhook that never answers keeps the shutdown open (the outbox waits for it).
    const silent = await silentServer();
    try {
      save(
        `sinks:\n  hook: { type: webhook, url: "http://127.0.0.1:${silent.port}/alerts" }\nmonitors:\n${monitor('keep', 'BTC', '>> 1')}    notify: [hook]\n`,
      );
      const s = await start();
      await waitUntil(() => silent.sockets.length > 0, 15_000, 'the delivery to the silent webhook');
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => service!.on('exit', (code, signal) => resolve([code, signal])));
      service!.kill('SIGTERM');
      await s.logs.waitFor((l) => l.includes('stopping: no new checks'), 10_000);
      service!.kill('SIGHUP');
      expect(await exited).toEqual([0, null]);
      expect(s.logs.lines.some((l) => l.includes('SIGHUP while stopping: ignored'))).toBe(true);
      expect(s.logs.lines.some((l) => l.includes('stopped cleanly'))).toBe(true);
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('SIGHUP during start-up', () => {
  it('is ignored: the process keeps starting instead of dying on the signal', async () => {
    // An exchange that accepts connections and never answers holds start-up in its symbol check.
    const silent = await silentServer();
    try {
      save(`monitors:\n${monitor('keep', 'BTC', '>> 1')}`);
      service = startCli(['run', '--config', file], { env: { ...env, ASTER_BASE_URL: `http://127.0.0.1:${silent.port}` } });
      const logs = new LineCollector(service.stderr!);
      await waitUntil(() => silent.sockets.length > 0, 15_000, 'the start-up request to the exchange');
      service.kill('SIGHUP');
      await logs.waitFor((l) => l.includes('SIGHUP before start-up finished: ignored'), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect([service.exitCode, service.signalCode]).toEqual([null, null]);
    } finally {
      await silent.close();
    }
  }, 60_000);
});
