/**
 * Liquidation monitors through the real CLI: a local WebSocket exchange, the service as a
 * child process, events on standard output and a local Telegram server. Per-liquidation
 * thresholds and side filters, rolling windows that cross, stay, drain and cross again,
 * `group_by: all` with a change condition, kill -9 inside a window, and malformed frames.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';
import { frame } from '../support/liquidations.js';

interface Event {
  id: string;
  type: string;
  subject: string;
  source: string;
  data: Record<string, unknown>;
}

let exchange: FakeExchange;
let stream: FakeStreamServer;
let telegram: Receiver;
let dir: string;
let env: NodeJS.ProcessEnv;
const running: ChildProcess[] = [];

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  stream = await new FakeStreamServer().start();
  telegram = await new Receiver().start();
  dir = mkdtempSync(join(tmpdir(), 'aw-liq-mon-'));
  env = {
    ASTER_BASE_URL: exchange.url,
    ASTER_FUTURES_URL: exchange.url,
    ASTER_WS_URL: stream.url(),
    ASTERWATCH_STATE: join(dir, 'state.db'),
    LOG_LEVEL: 'info',
  };
});

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  }
  await telegram.stop();
  await stream.stop();
  await exchange.stop();
});

/** Starts `asterwatch run` on `yaml` and waits until its feed is connected. */
async function run(yaml: string, extraArgs: string[] = []) {
  writeFileSync(join(dir, 'monitors.yaml'), yaml);
  const child = startCli(['run', '--config', join(dir, 'monitors.yaml'), ...extraArgs], { env });
  running.push(child);
  const out = new LineCollector(child.stdout!);
  const logs = new LineCollector(child.stderr!);
  await logs.waitFor((line) => line.includes('feed connected'), 20_000);
  await waitUntil(() => stream.clients.size >= 1, 10_000, 'the stream client');
  const events = () => out.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Event);
  return { child, out, logs, events };
}

async function kill9(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  await waitUntil(() => stream.clients.size === 0, 10_000, 'the connection to close');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A liquidation frame of `usd` on `symbol` now (price 1000, so the quantity is usd / 1000). */
function usdFrame(symbol: string, usd: number, side: 'SELL' | 'BUY' = 'SELL', at = Date.now()): string {
  return frame({ s: symbol, S: side, q: String(usd / 1000), p: '1000', T: at });
}

function getJson(url: string): Promise<{ monitors: Array<{ name: string; subjects: Array<{ subject: string; value: number | null; armed: boolean }> }> }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

describe('a per-liquidation monitor', () => {
  it('raises one event per matching liquidation, maps SELL to long and BUY to short, filters by side and symbol, ignores duplicates and malformed frames, and posts the spec’s Telegram lines', async () => {
    const service = await run(`sinks:
  tg: { type: telegram, bot_token: "123456:secret-bot-token", chat_id: 42, api_url: "${telegram.url}" }
monitors:
  - name: whales
    monitoring_mode: liquidations
    condition: ">= 50k"
    notify: [stdout, tg]
  - name: long-whales
    monitoring_mode: liquidations
    side: long
    symbols: [ETHUSDT, BTCUSDT]
    condition: "> 100k"
`);
    const now = Date.now();
    const eth = frame({ s: 'ETHUSDT', S: 'SELL', q: '72.9', p: '4319.20', T: now - 2000 });
    stream.broadcast(eth);
    stream.broadcast(frame({ s: 'BTCUSDT', S: 'BUY', q: '18.562', p: '64647.00', T: now - 1000 }));
    stream.broadcast(frame({ s: 'DOGEUSDT', S: 'SELL', q: '1000', p: '0.2', T: now - 500 })); // $200: below every threshold
    stream.broadcast('not json at all');
    stream.broadcast('{"e":"forceOrder","E":1,"o":{"s":"SOLUSDT","S":"SELL","q":"abc","p":"150","ap":"150","X":"FILLED","z":"abc","T":1}}');
    stream.broadcast(eth); // the same liquidation again
    await waitUntil(() => service.events().length >= 3, 15_000, 'three events');
    await waitUntil(() => telegram.received.length >= 2, 15_000, 'two Telegram messages');
    await sleep(1500); // nothing else comes

    const events = service.events();
    expect(events.map((e) => [e.data.monitor, e.subject, e.data.side]).sort()).toEqual([
      ['long-whales', 'ETHUSDT', 'long'],
      ['whales', 'BTCUSDT', 'short'],
      ['whales', 'ETHUSDT', 'long'],
    ]);
    const ethEvent = events.find((e) => e.data.monitor === 'whales' && e.subject === 'ETHUSDT')!;
    expect(ethEvent.type).toBe('asterex.liquidation.condition_met');
    expect(ethEvent.source).toBe('asterwatch/monitors/whales');
    expect(ethEvent.data).toMatchObject({
      venue: 'aster',
      symbol: 'ETHUSDT',
      asset: 'ETH',
      side: 'long',
      price: 4319.2,
      quantity: 72.9,
      time: new Date(now - 2000).toISOString(),
      condition: '>= 50k',
      severity: 0.5, // $314.9k is 6.3 × 50k: high
      severity_label: 'high',
    });
    expect(ethEvent.data.notional_usd).toBeCloseTo(314_869.68, 2);
    expect(ethEvent.data.liquidation_id).toMatch(/^[0-9a-f]{32}$/);
    expect(events.find((e) => e.subject === 'BTCUSDT')!.data.severity_label).toBe('critical'); // $1.2M is 24 × 50k
    expect(new Set(events.map((e) => e.id)).size).toBe(3);

    const lines = telegram.received.map((r) => (JSON.parse(r.body) as { text: string }).text.split('\n')[0]).sort();
    expect(lines).toEqual(['🔴 #ETH Long Liquidation: $314.9k @ $4,319.2', '🟢 #BTC Short Liquidation: $1.2M @ $64,647']);
    expect(service.logs.lines.join('\n')).not.toContain('secret-bot-token');
  }, 60_000);
});

describe('the alert lifecycle in a running service', () => {
  it('reminds every repeat_interval while a window stays above, then raises one resolved notice when it drains', async () => {
    const service = await run(`monitors:
  - name: cascade
    monitoring_mode: liquidations
    symbols: [BTCUSDT]
    window: 10
    condition: ">> 100k"
    repeat_interval: 3
    notify_resolved: true
`);
    stream.broadcast(usdFrame('BTCUSDT', 120_000));
    await waitUntil(() => service.events().length >= 1, 10_000, 'the crossing');
    await waitUntil(() => service.events().some((e) => e.type.endsWith('condition_resolved')), 20_000, 'the resolved notice');
    await sleep(3000); // nothing after the resolution
    const events = service.events();
    const kinds = events.map((e) => (e.type.endsWith('condition_resolved') ? 'resolved' : e.data.reminder === true ? 'reminder' : 'met'));
    expect(kinds[0]).toBe('met');
    expect(kinds[kinds.length - 1]).toBe('resolved');
    expect(kinds.filter((k) => k === 'resolved')).toHaveLength(1);
    // The window holds 120k for 10 s: reminders at about 3, 6 and 9 s.
    expect(kinds.slice(1, -1).every((k) => k === 'reminder')).toBe(true);
    expect(kinds.filter((k) => k === 'reminder').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'reminder').length).toBeLessThanOrEqual(4);
    const notice = events[events.length - 1]!;
    expect(notice.type).toBe('asterex.liquidation_window.condition_resolved');
    expect(notice.data).toMatchObject({ symbol: 'BTCUSDT', fired_at: (events[0] as unknown as { time: string }).time, resolved: true });
    expect(notice.data.duration_seconds).toBeGreaterThanOrEqual(9);
    for (const reminder of events.slice(1, -1)) expect(reminder.data.firing_since).toBe((events[0] as unknown as { time: string }).time);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  }, 60_000);
});

describe('a cooldown on a per-liquidation monitor', () => {
  it('lets one event per symbol through per repeat_interval', async () => {
    const service = await run(`monitors:
  - name: whales
    monitoring_mode: liquidations
    condition: ">= 50k"
    repeat_interval: 600
`);
    stream.broadcast(usdFrame('BTCUSDT', 80_000));
    await waitUntil(() => service.events().length === 1, 10_000, 'the first liquidation');
    stream.broadcast(usdFrame('BTCUSDT', 90_000));
    stream.broadcast(usdFrame('ETHUSDT', 70_000));
    await waitUntil(() => service.events().length === 2, 10_000, 'the other symbol');
    await sleep(1500);
    expect(service.events().map((e) => `${e.subject}:${e.data.notional_usd}`)).toEqual(['BTCUSDT:80000', 'ETHUSDT:70000']);
  }, 60_000);
});

describe('a rolling-window monitor', () => {
  it('fires once when the window crosses, stays quiet above, re-arms when the window drains with no new liquidation, and fires on the next crossing', async () => {
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const service = await run(
      `monitors:
  - name: cascade
    monitoring_mode: liquidations
    symbols: [BTCUSDT]
    window: 10
    condition: ">> 100k"
`,
      ['--http', `127.0.0.1:${port}`],
    );
    const subject = async () => (await getJson(`http://127.0.0.1:${port}/api/monitors`)).monitors[0]!.subjects[0]!;
    stream.broadcast(usdFrame('BTCUSDT', 60_000));
    await sleep(1500);
    expect(service.events()).toHaveLength(0);
    stream.broadcast(usdFrame('BTCUSDT', 60_000, 'BUY'));
    await waitUntil(() => service.events().length === 1, 10_000, 'the crossing');
    stream.broadcast(usdFrame('BTCUSDT', 30_000));
    await sleep(2000);
    expect(service.events()).toHaveLength(1); // still above: a once-condition stays quiet
    expect(await subject()).toMatchObject({ subject: 'BTCUSDT', armed: false });

    const first = service.events()[0]!;
    expect(first.type).toBe('asterex.liquidation_window.condition_met');
    expect(first.subject).toBe('BTCUSDT');
    expect(first.data).toMatchObject({
      venues: ['aster'],
      symbol: 'BTCUSDT',
      window_seconds: 10,
      notional_usd: 120_000,
      previous_notional_usd: 0,
      change_percent: null,
      count: 2,
      long_usd: 60_000,
      short_usd: 60_000,
      largest_usd: 60_000,
    });
    expect(Date.parse(first.data.window_end as string) - Date.parse(first.data.window_start as string)).toBe(10_000);

    // The window drains (to nothing): re-armed by the clock alone.
    const drained = Date.now() + 30_000;
    while (Date.now() < drained && !((await subject()).armed && (await subject()).value === 0)) await sleep(250);
    expect(await subject()).toMatchObject({ armed: true, value: 0 });
    expect(service.events()).toHaveLength(1);

    stream.broadcast(usdFrame('BTCUSDT', 150_000));
    await waitUntil(() => service.events().length === 2, 10_000, 'the second crossing');
    expect(service.events()[1]!.data.notional_usd).toBe(150_000);
  }, 90_000);

  it('with group_by: all and a change condition, compares every symbol together with the window before', async () => {
    const service = await run(`monitors:
  - name: market-wide
    monitoring_mode: liquidations
    window: 10
    group_by: all
    condition: "> 100%"
`);
    stream.broadcast(usdFrame('ETHUSDT', 50_000));
    await sleep(1500);
    expect(service.events()).toHaveLength(0); // nothing in the window before: not evaluable
    await sleep(9500); // the $50k moves into the window before
    stream.broadcast(usdFrame('BTCUSDT', 120_000, 'BUY'));
    stream.broadcast(usdFrame('SOLUSDT', 10_000));
    await waitUntil(() => service.events().some((e) => e.data.count === 2), 10_000, 'the change to be seen');
    const event = service.events().find((e) => e.data.count === 2)!;
    expect(event.subject).toBe('all');
    expect(event.data).toMatchObject({
      symbol: null,
      notional_usd: 130_000,
      previous_notional_usd: 50_000,
      change_percent: 160,
      long_usd: 10_000,
      short_usd: 120_000,
      largest_usd: 120_000,
      severity_label: 'critical', // a 160 % change
    });
  }, 60_000);

  it('after kill -9 between two liquidations of one window, still counts the first, and does not fire again after another restart', async () => {
    const yaml = `monitors:
  - name: cascade
    monitoring_mode: liquidations
    symbols: [BTCUSDT]
    window: 60
    condition: ">> 100k"
`;
    const first = await run(yaml);
    stream.broadcast(usdFrame('BTCUSDT', 60_000));
    await sleep(1500); // recorded
    await kill9(first.child);

    const second = await run(yaml);
    stream.broadcast(usdFrame('BTCUSDT', 60_000));
    await waitUntil(() => second.events().length === 1, 10_000, 'the crossing after the restart');
    expect(second.events()[0]!.data).toMatchObject({ notional_usd: 120_000, count: 2 });
    await kill9(second.child);

    const third = await run(yaml);
    await sleep(3000);
    expect(third.events()).toHaveLength(0); // the once-state survived: no second alert for the same crossing
  }, 90_000);
});
