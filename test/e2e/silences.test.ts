/**
 * Silences with the real CLI: one created over HTTP mutes delivery (the event is recorded,
 * marked `data.silenced`) until it ends, then delivery resumes; the `silence` command adds,
 * lists and removes them beside a running service; mistakes are named.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil, waitUntilAsync } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';
import { frame } from '../support/liquidations.js';

let exchange: FakeExchange;
let stream: FakeStreamServer;
let hook: Receiver;
let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;
let service: ChildProcess | null = null;
let base = '';

const usd = (symbol: string, amount: number) => frame({ s: symbol, S: 'SELL', q: String(amount / 1000), p: '1000', T: Date.now() });

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  stream = await new FakeStreamServer().start();
  hook = await new Receiver().start();
  dir = mkdtempSync(join(tmpdir(), 'aw-silence-'));
  config = join(dir, 'monitors.yaml');
  writeFileSync(
    config,
    `sinks:\n  hook: { type: webhook, url: "${hook.url}/alerts" }\nmonitors:\n  - name: whales\n    monitoring_mode: liquidations\n    condition: ">= 50k"\n    notify: [hook]\n`,
  );
  env = {
    ASTER_BASE_URL: exchange.url,
    ASTER_FUTURES_URL: exchange.url,
    ASTER_WS_URL: stream.url(),
    ASTERWATCH_STATE: join(dir, 'state.db'),
    LOG_LEVEL: 'info',
  };
});

afterEach(async () => {
  if (service !== null && service.exitCode === null) {
    service.kill('SIGKILL');
    await new Promise((resolve) => service!.on('exit', resolve));
  }
  service = null;
  await hook.stop();
  await stream.stop();
  await exchange.stop();
});

async function startService(extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const probe = await new Receiver().start();
  const port = Number(new URL(probe.url).port);
  await probe.stop();
  service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env: { ...env, ...extraEnv } });
  const logs = new LineCollector(service.stderr!);
  await logs.waitFor((l) => l.includes('feed connected'), 20_000);
  await waitUntil(() => stream.clients.size >= 1, 10_000, 'the stream client');
  base = `http://127.0.0.1:${port}`;
}

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
};
const storedEvents = async () => ((await api('GET', '/api/events?limit=50')).body!.events as Array<{ id: string; data: Record<string, unknown> }>).reverse();

describe('a silence created over HTTP', () => {
  it('records but does not deliver while it lasts, then delivery resumes', async () => {
    await startService();
    const created = await api('POST', '/api/silences', { monitor: 'whales', duration: '3s', comment: 'maintenance' });
    expect(created.status).toBe(201);
    const silence = created.body!.silence as Record<string, unknown>;
    expect(silence).toMatchObject({ monitor: 'whales', subject: null, comment: 'maintenance', created_by: 'api', active: true });
    expect(Date.parse(silence.ends_at as string) - Date.parse(silence.starts_at as string)).toBe(3000);
    expect((await api('GET', '/api/silences')).body!.silences).toEqual([silence]);

    stream.broadcast(usd('BTCUSDT', 80_000));
    await waitUntilAsync(async () => (await storedEvents()).length === 1, 10_000, 'the silenced event recorded');
    const [muted] = await storedEvents();
    expect(muted!.data).toMatchObject({ silenced: true, monitor: 'whales' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(hook.received).toHaveLength(0);

    // Ended: the next event goes out.
    await waitUntilAsync(async () => ((await api('GET', '/api/silences')).body!.silences as unknown[]).length === 0, 10_000, 'the silence to end');
    stream.broadcast(usd('ETHUSDT', 90_000));
    await waitUntil(() => hook.received.length === 1, 10_000, 'the delivery after the silence');
    const delivered = JSON.parse(hook.received[0]!.body) as { subject: string; data: Record<string, unknown> };
    expect(delivered.subject).toBe('ETHUSDT');
    expect(delivered.data.silenced).toBeUndefined();
    // The muted one stays undelivered: it was never queued.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hook.received).toHaveLength(1);
    expect((await api('GET', '/api/silences?all=true')).body!.silences).toEqual([expect.objectContaining({ id: silence.id, active: false })]);
  }, 60_000);

  it('needs the token to write when one is set (a session cookie or no token is refused)', async () => {
    await startService({ HTTP_TOKEN: 'let-me-in' });
    const body = JSON.stringify({ monitor: 'whales', duration: '1h' });
    const anonymous = await fetch(base + '/api/silences', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(anonymous.status).toBe(401);
    const session = await fetch(base + '/api/session', { method: 'POST', headers: { Authorization: 'Bearer let-me-in' } });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(base + '/api/silences', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body })).status).toBe(401);
    const allowed = await fetch(base + '/api/silences', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer let-me-in' },
      body,
    });
    expect(allowed.status).toBe(201);
    const { silence } = (await allowed.json()) as { silence: { id: string } };
    expect((await fetch(base + '/api/silences/' + silence.id, { method: 'DELETE', headers: { Cookie: cookie } })).status).toBe(401);
    expect((await fetch(base + '/api/silences/' + silence.id, { method: 'DELETE', headers: { Authorization: 'Bearer let-me-in' } })).status).toBe(204);
  }, 30_000);

  it('answers mistakes with 400 naming the field, 404 for an unknown id, 403 to another site', async () => {
    await startService();
    expect(await api('POST', '/api/silences', { monitor: 'nope', duration: '1h' })).toMatchObject({ status: 400, body: { field: 'monitor' } });
    expect(await api('POST', '/api/silences', { monitor: 'whales', duration: 'soon' })).toMatchObject({ status: 400, body: { field: 'duration' } });
    expect(await api('POST', '/api/silences', { monitor: 'whales' })).toMatchObject({ status: 400, body: { field: 'duration' } });
    expect(await api('DELETE', '/api/silences/abc')).toMatchObject({ status: 404 });
    // A page of another site cannot write, even to a loopback server without a token.
    const foreign = await fetch(base + '/api/silences', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
      body: '{"monitor":"whales","duration":"1h"}',
    });
    expect(foreign.status).toBe(403);
    expect((await api('GET', '/api/silences')).body!.silences).toEqual([]);
    // JSON sent as fetch's default text/plain is understood.
    const plain = await fetch(base + '/api/silences', { method: 'POST', body: '{"monitor":"whales","duration":"1h"}' });
    expect(plain.status).toBe(201);
  }, 30_000);
});

describe('asterwatch silence', () => {
  it('adds, lists and removes silences in the state database; the running service follows', async () => {
    await startService();
    const added = await runCli(['silence', 'add', '--config', config, '--monitor', 'whales', '--subject', 'BTCUSDT', '--for', '1h', '--comment', 'noisy'], {
      env,
    });
    expect(added.code, added.stderr).toBe(0);
    const id = /\(id ([0-9a-f]{12})\)/.exec(added.stdout)![1]!;
    expect(added.stdout).toMatch(/^silenced whales \/ BTCUSDT until \d{4}-\d\d-\d\dT/);
    const listed = await runCli(['silence', 'list', '--json'], { env });
    expect(JSON.parse(listed.stdout).silences).toEqual([
      expect.objectContaining({ id, monitor: 'whales', subject: 'BTCUSDT', comment: 'noisy', created_by: 'cli' }),
    ]);
    expect((await runCli(['silence', 'list'], { env })).stdout).toMatch(new RegExp(`^${id}  whales / BTCUSDT  until `));

    // Within a second the service mutes BTCUSDT only.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stream.broadcast(usd('BTCUSDT', 80_000));
    stream.broadcast(usd('SOLUSDT', 70_000));
    await waitUntil(() => hook.received.length === 1, 10_000, 'the unsilenced subject delivered');
    await waitUntilAsync(async () => (await storedEvents()).length === 2, 10_000, 'both recorded');
    expect(JSON.parse(hook.received[0]!.body).subject).toBe('SOLUSDT');
    expect((await storedEvents()).find((e) => e.data.silenced === true)).toBeDefined();

    const removed = await runCli(['silence', 'remove', id], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`removed silence ${id}\n`);
    expect((await runCli(['silence', 'list'], { env })).stdout).toBe('no silence in effect\n');
  }, 60_000);

  it('names every mistake and exits 1', async () => {
    await runCli(['check', '--config', config], { env: { ...env, ASTER_WS_URL: 'ws://127.0.0.1:1' } }); // creates the state database
    const unknown = await runCli(['silence', 'add', '--config', config, '--monitor', 'nope', '--for', '1h'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no monitor named "nope" in the configuration \(known: whales\)/);
    const duration = await runCli(['silence', 'add', '--config', config, '--monitor', 'whales', '--for', 'forever'], { env });
    expect(duration.code).toBe(1);
    expect(duration.stderr).toMatch(/--for must be a duration such as 30m, 4h, 1d or 1h30m/);
    const tooLong = await runCli(['silence', 'add', '--config', config, '--monitor', 'whales', '--for', '100d'], { env });
    expect(tooLong.stderr).toMatch(/at most 90 days/);
    const missing = await runCli(['silence', 'remove', 'deadbeef0000'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no silence with id "deadbeef0000"/);
    // Listing a database that does not exist creates none, and lists nothing.
    const noState = await runCli(['silence', 'list', '--state', join(dir, 'nowhere.db')], { env });
    expect(noState.code).toBe(0);
    expect(noState.stdout).toBe('no silence in effect\n');
    expect(existsSync(join(dir, 'nowhere.db'))).toBe(false);
    const noAction = await runCli(['silence'], { env });
    expect(noAction.code).toBe(1);
    for (const r of [unknown, duration, missing, noAction]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
