/**
 * Issue 15's commands, routes and services in-process (the end-to-end tests run them as child
 * processes; these reach the same code where coverage and fast feedback see it): silences,
 * test-sink, the demo's configuration, live reload, the status line, and the new channels
 * against local servers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { compileCondition } from '../../src/condition/index.js';
import { DiscordSink } from '../../src/delivery/sinks/discord.js';
import { EmailSink, emailSubject } from '../../src/delivery/sinks/email.js';
import { DeliveryError } from '../../src/delivery/sinks/sink.js';
import { SlackSink } from '../../src/delivery/sinks/slack.js';
import { resolvedTypeOf, type AlertEvent } from '../../src/events/index.js';
import { testEvent } from '../../src/events/test-event.js';
import { buildHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { marketEvent } from '../../src/modes/market/event.js';
import { ConfigReloader } from '../../src/service/config-reloader.js';
import { DemoMarket } from '../../src/demo/simulation.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import WebSocket from 'ws';
import { Service } from '../../src/service/service.js';
import { StatusLine, statusIntervalSeconds } from '../../src/service/status-line.js';
import { parseSilenceDuration } from '../../src/silences/new-silence.js';
import { capture } from '../helpers/capture.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { Receiver } from '../helpers/receiver.js';
import { SmtpReceiver } from '../helpers/smtp.js';

let exchange: FakeExchange;
let hook: Receiver;
let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  process.env.LOG_LEVEL = 'silent';
});
afterAll(() => {
  process.env = saved;
});

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 71000, 69000);
  hook = await new Receiver().start();
  process.env.ASTER_BASE_URL = exchange.url;
  dir = mkdtempSync(join(tmpdir(), 'aw-alerting-'));
  process.env.ASTERWATCH_STATE = join(dir, 'state.db');
});

afterEach(async () => {
  await hook.stop();
  await exchange.stop();
});

const monitors = (extra = '') =>
  `sinks:\n  hook: { type: webhook, url: "${hook.url}/alerts" }\nmonitors:\n  - name: btc\n    monitoring_mode: market\n    notify: [hook]\n    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]\n${extra}`;
function config(yaml = monitors()): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(file, yaml);
  return file;
}
async function cli(argv: string[]) {
  const io = capture();
  const code = await runCli(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const condition = compileCondition('>> 70000');
const alert = marketEvent(
  { monitor: 'btc', condition: condition.source, severity: condition.severity({ current: 71000, previous: 69000 }), roundTime: 0, checkedAt: new Date(0) },
  { asset: 'BTC', symbol: 'BTCUSDT', current: 71000, previous: 69000 },
);
const notice = {
  ...alert,
  type: resolvedTypeOf(alert.type),
  data: { ...alert.data, fired_at: new Date(0).toISOString(), duration_seconds: 600 },
} as AlertEvent;

describe('asterwatch silence, in-process', () => {
  it('adds, lists (text and JSON, --all) and removes; names mistakes', async () => {
    const file = config();
    expect((await cli(['silence', 'list'])).out).toBe('no silence in effect'); // no database yet, and none made
    expect((await cli(['silence', 'remove', 'abc'])).code).toBe(1);
    // Adding creates the database where the service will read it.
    const added = await cli(['silence', 'add', '--config', file, '--monitor', 'btc', '--for', '1h30m', '--comment', 'why not']);
    expect(added.code, added.err).toBe(0);
    const id = /\(id ([0-9a-f]{12})\)/.exec(added.out)![1]!;
    expect((await cli(['silence', 'list'])).out).toMatch(new RegExp(`^${id}  monitor btc  until .*  by cli  "why not"$`));
    const json = JSON.parse((await cli(['silence', 'list', '--json'])).out) as { silences: Array<Record<string, unknown>> };
    expect(json.silences[0]).toMatchObject({ id, monitor: 'btc', subject: null, active: true });
    expect((await cli(['silence', 'remove', id])).code).toBe(0);
    expect((await cli(['silence', 'list', '--all'])).out).toBe('no silence in effect');
    expect((await cli(['silence', '--help'])).out).toMatch(/^Usage: asterwatch silence add/);
    for (const [argv, message] of [
      [['silence'], /say what to do: add, list or remove/],
      [['silence', 'list', 'extra'], /unexpected "extra"/],
      [['silence', 'add', '--monitor', 'btc'], /needs --monitor NAME and --for DURATION/],
      [['silence', 'add', '--config', file, '--monitor', 'eth', '--for', '1h'], /no monitor named "eth" .*\(known: btc\)/],
      [['silence', 'add', '--config', file, '--monitor', 'btc', '--for', '0m'], /--for must be a duration/],
      [['silence', 'remove'], /takes one silence id/],
      [['silence', 'remove', 'nope'], /no silence with id "nope"/],
    ] as const) {
      const result = await cli([...argv]);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err).toMatch(message);
    }
  });

  it('parses durations, sums included, bounded', () => {
    expect(parseSilenceDuration('90s')).toBe(90_000);
    expect(parseSilenceDuration('1h30m')).toBe(5_400_000);
    expect(parseSilenceDuration('2w')).toBe(14 * 86_400_000);
    expect(() => parseSilenceDuration('13w')).toThrow(/at most 90 days/);
    expect(() => parseSilenceDuration('1 h')).toThrow(/must be a duration/);
  });
});

describe('asterwatch test-sink and demo, in-process', () => {
  it('reports delivered (0), refused (2), unknown (1), as text or JSON', async () => {
    const file = config();
    const ok = await cli(['test-sink', 'hook', '--config', file, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ sink: 'hook', type: 'webhook', delivered: true, error: null });
    expect((JSON.parse(hook.received[0]!.body) as AlertEvent).type).toBe('asterwatch.test');
    hook.answers.push({ status: 410, body: { gone: true } });
    const refused = await cli(['test-sink', 'hook', '--config', file]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/answered HTTP 410/);
    expect((await cli(['test-sink', 'nope', '--config', file])).code).toBe(1);
    expect((await cli(['test-sink', '--config', file])).code).toBe(1);
    expect((await cli(['test-sink', '--help'])).out).toMatch(/^Usage: asterwatch test-sink NAME/);
  });

  it('prints the demo configuration, its help, and refuses a bad port', async () => {
    expect((await cli(['demo', '--print-config'])).out).toMatch(/monitoring_mode: positions/);
    expect((await cli(['demo', '--help'])).out).toMatch(/^Usage: asterwatch demo/);
    const bad = await cli(['demo', '--port', 'eighty']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--port must be a port number/);
  });
});

describe('silences and test alerts over HTTP, in-process', () => {
  it('creates, lists and deletes silences, and sends test alerts', async () => {
    config();
    const service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
    const { app } = buildHttpApp(service);
    try {
      const created = await app.inject({ method: 'POST', url: '/api/silences', payload: { monitor: 'btc', subject: 'BTC', duration: '2h' } });
      expect(created.statusCode).toBe(201);
      const { silence } = created.json() as { silence: { id: string } };
      expect((await app.inject('/api/silences')).json()).toEqual({ silences: [expect.objectContaining({ id: silence.id, subject: 'BTC' })] });
      expect((await app.inject({ method: 'POST', url: '/api/silences', payload: { monitor: 5, duration: '1h' } })).json()).toMatchObject({ field: 'monitor' });
      // The duration as seconds, as duration_seconds, or as an end time; the answer carries the silence's fields at the top too.
      const now = Date.now();
      for (const [payload, ms] of [
        [{ monitor: 'btc', duration: 600 }, 600_000],
        [{ monitor: 'btc', duration_seconds: 90 }, 90_000],
        [{ monitor: 'btc', for: '2m' }, 120_000],
      ] as const) {
        const answer = (await app.inject({ method: 'POST', url: '/api/silences', payload })).json() as { id: string; starts_at: string; ends_at: string };
        expect(answer.id).toMatch(/^[0-9a-f]{12}$/);
        expect(Date.parse(answer.ends_at) - Date.parse(answer.starts_at)).toBe(ms);
        await app.inject({ method: 'DELETE', url: `/api/silences/${answer.id}` });
      }
      const until = (
        await app.inject({ method: 'POST', url: '/api/silences', payload: { monitor: 'btc', ends_at: new Date(now + 3_600_000).toISOString() } })
      ).json() as { id: string; ends_at: string };
      expect(Math.abs(Date.parse(until.ends_at) - (now + 3_600_000))).toBeLessThan(5000);
      await app.inject({ method: 'DELETE', url: `/api/silences/${until.id}` });
      expect((await app.inject({ method: 'POST', url: '/api/silences', payload: { monitor: 'btc', ends_at: '2001-01-01T00:00:00Z' } })).json()).toMatchObject({
        field: 'ends_at',
      });
      expect((await app.inject({ method: 'POST', url: '/api/silences', payload: { monitor: 'btc', duration: -5 } })).json()).toMatchObject({
        field: 'duration',
      });
      expect((await app.inject({ method: 'POST', url: '/api/silences', headers: { 'content-type': 'text/plain' }, payload: 'not json' })).statusCode).toBe(400);
      expect((await app.inject({ method: 'POST', url: '/api/silences', payload: [1] })).statusCode).toBe(400);
      expect((await app.inject({ method: 'DELETE', url: `/api/silences/${silence.id}` })).statusCode).toBe(204);
      expect((await app.inject('/api/silences?all=true')).json()).toEqual({ silences: [] });

      expect((await app.inject('/api/sinks')).json()).toEqual({
        sinks: [
          { name: 'stdout', type: 'stdout', min_severity: null },
          { name: 'hook', type: 'webhook', min_severity: null },
        ],
      });
      const tested = await app.inject({ method: 'POST', url: '/api/sinks/hook/test' });
      expect(tested.statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/api/sinks/hook/test', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/sinks/hook/test', headers: { origin: 'null' } })).statusCode).toBe(403);
    } finally {
      await app.close();
      await service.store.close();
    }
  });
});

describe('live reload and the status line, in-process', () => {
  it('applies a valid file, refuses an invalid one, and reports the service in one status line', async () => {
    const file = config(monitors('  - name: eth\n    monitoring_mode: market\n    monitored_assets: [{ asset: ETH, condition: "> 1" }]\n'));
    exchange.setPrice('ETHUSDT', 3000, 3000);
    const { logger, lines } = captureLogger('info');
    const service = Service.open({ configPath: file, statePath: join(dir, 'state.db'), logger, baseUrl: exchange.url });
    await service.start();
    const reloader = new ConfigReloader(service, file, logger);
    const status = new StatusLine(service, logger);
    try {
      writeFileSync(file, monitors('  - name: sol\n    monitoring_mode: market\n    monitored_assets: [{ asset: BTC, condition: "> 1" }]\n'));
      expect(await reloader.run()).toBe('success');
      expect(service.monitors.map((m) => m.name)).toEqual(['btc', 'sol']);
      expect(lines().find((l) => l.msg === 'configuration reloaded')).toMatchObject({ added: ['sol'], removed: ['eth'], changed: [], unchanged: 1 });
      writeFileSync(file, 'monitors: [oops');
      expect(await reloader.run()).toBe('failure');
      expect(service.monitors.map((m) => m.name)).toEqual(['btc', 'sol']);
      expect(service.configReloads).toEqual({ success: 1, failure: 1 });
      await status.report();
      expect(lines().find((l) => l.msg === 'status')).toMatchObject({ monitors: 2, pendingDeliveries: expect.any(Number), feeds: 0 });
      expect(statusIntervalSeconds(undefined)).toBe(300);
      expect(statusIntervalSeconds('0')).toBe(0);
      expect(() => statusIntervalSeconds('-1')).toThrow(/STATUS_INTERVAL must be a whole number/);
    } finally {
      status.stop();
      await reloader.stop();
      await service.stop(1000);
    }
  });
});

describe('Discord, Slack and email, in-process', () => {
  it('post an alert and a resolved notice, and map refusals to retryable or permanent', async () => {
    const discord = new DiscordSink('chat', `${hook.url}/api/webhooks/1/token`, 'watch', 0, 5000);
    await discord.deliver(alert);
    await discord.deliver(notice);
    expect((JSON.parse(hook.received[1]!.body) as { embeds: Array<{ color: number }> }).embeds[0]!.color).toBe(0x57ab5a);
    hook.answers.push({ status: 429, body: { retry_after: 1.5 } });
    await expect(discord.deliver(alert)).rejects.toMatchObject({ retryable: true, retryAfterMs: 1500 });
    const slack = new SlackSink('team', `${hook.url}/services/x`, 0, 5000);
    await slack.deliver(testEvent('team', 0));
    hook.answers.push({ status: 404, body: 'no_service' });
    await expect(slack.deliver(alert)).rejects.toMatchObject({ retryable: false });
    hook.answers.push({ status: 503 });
    await expect(slack.deliver(alert)).rejects.toBeInstanceOf(DeliveryError);
  });

  it('sends mail with a readable subject, and says why a server refused it', async () => {
    const smtp = await new SmtpReceiver().start();
    const base = { type: 'email' as const, host: '127.0.0.1', port: smtp.port, secure: false, from: 'alerts@example.com', to: 'ops@example.com' };
    try {
      const mail = new EmailSink('mail', base, 0, 5000);
      await mail.deliver(notice);
      expect(smtp.received[0]!.mail.subject).toBe(emailSubject(notice));
      expect(emailSubject(notice)).toMatch(/^\[RESOLVED\] btc · BTC: no longer holds after 10 min/);
      await mail.close();
      smtp.credentials = { user: 'bob', pass: 'right' };
      const wrong = new EmailSink('mail', { ...base, username: 'bob', password: 'wrong' }, 0, 5000);
      await expect(wrong.deliver(alert)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/refused the login/) });
      expect(String(await wrong.deliver(alert).catch((e: Error) => e.message))).not.toContain('wrong');
      await wrong.close();
      const closed = new EmailSink('mail', { ...base, port: 1 }, 0, 2000);
      await expect(closed.deliver(alert)).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/unreachable/) });
    } finally {
      await smtp.stop();
    }
  });
});

describe('the demo market', () => {
  it('moves prices and the position, and streams liquidations with bursts', async () => {
    const stream = await new FakeStreamServer().start();
    const market = new DemoMarket(exchange, stream);
    const frames: string[] = [];
    const client = new WebSocket(stream.url());
    client.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => client.once('open', resolve));
    const before = exchange.prices.get('BTCUSDT');
    market.start();
    try {
      const deadline = Date.now() + 15_000;
      while ((frames.length < 15 || exchange.prices.get('BTCUSDT') === before) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(exchange.prices.get('BTCUSDT')).not.toBe(before);
      expect(frames.length).toBeGreaterThanOrEqual(15); // the first burst comes after 8 s
      expect(JSON.parse(frames[0]!)).toMatchObject({ e: 'forceOrder', o: { X: 'FILLED' } });
      expect(Number(exchange.accounts.get('demo-key')!.positions![0]!.markPrice)).toBeCloseTo(exchange.prices.get('BTCUSDT')!, 1);
    } finally {
      market.stop();
      client.close();
      await stream.stop();
    }
  }, 30_000);
});

describe('GET /api/monitors in pages', () => {
  it('answers a page at a time (100 by default, at most 200), with the total and the next offset', async () => {
    const lines = ['monitors:'];
    for (let i = 0; i < 250; i++) lines.push(`  - { name: m${i}, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: ">> 5%" }] }`);
    const file = config(lines.join('\n') + '\n');
    const service = Service.open({ configPath: file, statePath: join(dir, 'state.db'), logger: silentLogger(), baseUrl: exchange.url });
    const { app } = buildHttpApp(service);
    try {
      const first = (await app.inject('/api/monitors')).json() as {
        monitors: Array<{ name: string }>;
        total: number;
        offset: number;
        limit: number;
        next_offset: number | null;
      };
      expect(first).toMatchObject({ total: 250, offset: 0, limit: 100, next_offset: 100 });
      expect(first.monitors.map((m) => m.name).slice(0, 2)).toEqual(['m0', 'm1']);
      const last = (await app.inject('/api/monitors?offset=200&limit=100')).json() as typeof first;
      expect(last).toMatchObject({ offset: 200, next_offset: null });
      expect(last.monitors).toHaveLength(50);
      expect(((await app.inject('/api/monitors?limit=200')).json() as typeof first).monitors).toHaveLength(200);
      expect(((await app.inject('/api/monitors?offset=900')).json() as typeof first).monitors).toEqual([]);
      for (const bad of ['limit=0', 'limit=201', 'limit=x', 'offset=-1', 'offset=1.5'])
        expect((await app.inject(`/api/monitors?${bad}`)).statusCode, bad).toBe(400);
    } finally {
      await app.close();
      await service.store.close();
    }
  });
});
