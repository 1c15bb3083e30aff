/**
 * Discord, Slack and email with the real CLI against local servers (HTTP receivers and an SMTP
 * server), each kind of event rendered in its channel; `test-sink` against receivers that
 * accept, refuse or cannot be reached; Retry-After honoured; the HTTP test button.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';
import { SmtpReceiver } from '../helpers/smtp.js';

let exchange: FakeExchange;
let discord: Receiver;
let slack: Receiver;
let hook: Receiver;
let smtp: SmtpReceiver;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  discord = await new Receiver().start();
  slack = await new Receiver().start();
  hook = await new Receiver().start();
  smtp = await new SmtpReceiver().start();
  dir = mkdtempSync(join(tmpdir(), 'aw-channels-'));
  env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' };
});

afterEach(async () => {
  for (const r of [discord, slack, hook]) await r.stop();
  await smtp.stop();
  await exchange.stop();
});

function config(extra = '', monitorExtra = ''): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(
    file,
    `sinks:
  chat: { type: discord, webhook_url: "${discord.url}/api/webhooks/1/secret-token", username: watch }
  team: { type: slack, webhook_url: "${slack.url}/services/T0/B0/secret" }
  mail:
    type: email
    host: 127.0.0.1
    port: ${smtp.port}
    secure: false
    from: "asterwatch <alerts@example.com>"
    to: [ops@example.com, desk@example.com]
  hook: { type: webhook, url: "${hook.url}/alerts" }
${extra}monitors:
  - name: btc-70k
    monitoring_mode: market
    notify: [chat, team, mail]
${monitorExtra}    monitored_assets: [{ asset: BTC, condition: ">> 70000" }]
`,
  );
  return file;
}

const json = (r: Receiver, i: number) =>
  JSON.parse(r.received[i]!.body) as Record<string, unknown> & { embeds: Array<Record<string, unknown>>; blocks: Array<Record<string, unknown>> };

describe('Discord, Slack and email', () => {
  it('deliver an alert and its resolved notice, each in its channel', async () => {
    const file = config('', '    notify_resolved: true\n');
    exchange.setPrice('BTCUSDT', 71000, 69000);
    const fired = await runCli(['check', '--config', file], { env });
    expect(fired.code, fired.stderr).toBe(0);
    exchange.setPrice('BTCUSDT', 69500, 69500);
    const resolved = await runCli(['check', '--config', file], { env });
    expect(resolved.code, resolved.stderr).toBe(0);

    expect(discord.received).toHaveLength(2);
    expect(discord.received[0]!.path).toBe('/api/webhooks/1/secret-token');
    const alert = json(discord, 0);
    expect(alert).toMatchObject({ username: 'watch', allowed_mentions: { parse: [] } });
    const embed = alert.embeds[0]!;
    expect(embed.title).toMatch(/^.+ (LOW|MEDIUM|HIGH|CRITICAL) · btc-70k$/);
    expect(embed.description).toContain('BTC 71,000.00 USDT');
    expect(embed.description).toContain('condition >> 70000');
    expect([0xe5534b, 0xf0883e, 0xd4a72c, 0x539bf5]).toContain(embed.color);
    const notice = json(discord, 1).embeds[0]!;
    expect(notice.title).toBe('✅ RESOLVED · btc-70k');
    expect(notice.color).toBe(0x57ab5a);
    expect(notice.description).toMatch(/no longer holds after/);

    expect(slack.received).toHaveLength(2);
    const message = json(slack, 0);
    expect(message.text).toMatch(/btc-70k: BTC 71,000\.00 USDT/);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(json(slack, 1).blocks[0]).toMatchObject({ type: 'header', text: { text: '✅ RESOLVED · btc-70k' } });

    expect(smtp.received).toHaveLength(2);
    const [mail, resolvedMail] = smtp.received;
    expect(mail!.to).toEqual(['ops@example.com', 'desk@example.com']);
    expect(mail!.from).toBe('alerts@example.com');
    expect(mail!.mail.subject).toMatch(/^\[(LOW|MEDIUM|HIGH|CRITICAL)\] btc-70k · BTC: BTC 71,000\.00 USDT/);
    expect(mail!.mail.text).toContain('"type": "asterex.market.condition_met"');
    expect(mail!.mail.html).toContain('<b>BTC</b>');
    expect(resolvedMail!.mail.subject).toMatch(/^\[RESOLVED\] btc-70k · BTC: no longer holds after/);
  }, 60_000);

  it('honour a rate limit: Discord retry_after and Slack Retry-After delay the delivery, never drop it', async () => {
    const file = config();
    exchange.setPrice('BTCUSDT', 71000, 69000);
    discord.answers.push({ status: 429, body: { message: 'You are being rate limited.', retry_after: 0.8, global: false } });
    slack.answers.push({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } });
    const result = await runCli(['check', '--config', file], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(discord.received).toHaveLength(2);
    expect(discord.received[1]!.at - discord.received[0]!.at).toBeGreaterThanOrEqual(750);
    expect(slack.received).toHaveLength(2);
    expect(slack.received[1]!.at - slack.received[0]!.at).toBeGreaterThanOrEqual(950);
  }, 60_000);
});

describe('asterwatch test-sink', () => {
  it('reports a delivery (exit 0) with a clearly marked test event', async () => {
    const result = await runCli(['test-sink', 'hook', '--config', config()], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^delivered a test event to hook \(webhook\) in \d+ ms/);
    const event = JSON.parse(hook.received[0]!.body) as Record<string, unknown> & { data: Record<string, unknown> };
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'asterwatch.test',
      source: 'asterwatch/test',
      subject: 'hook',
      data: { test: true, sink: 'hook' },
    });
    expect(event.data.message).toMatch(/test alert/i);

    expect((await runCli(['test-sink', 'chat', '--config', config()], { env })).code).toBe(0);
    expect(json(discord, 0).embeds[0]!.title).toBe('🧪 TEST · asterwatch');
    expect((await runCli(['test-sink', 'mail', '--config', config()], { env })).code).toBe(0);
    expect(smtp.received[0]!.mail.subject).toMatch(/^\[TEST\] A test alert from asterwatch/);
  }, 60_000);

  it('reports a refusal or an unreachable receiver with the reason (exit 2), an unknown sink (exit 1)', async () => {
    hook.answers.push({ status: 403, body: { error: 'bad signature' } });
    const refused = await runCli(['test-sink', 'hook', '--config', config()], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hook \(webhook\) did not take the test event: webhook hook \(127\.0\.0\.1:\d+\) answered HTTP 403: .*bad signature/);

    smtp.refuse.add('ops@example.com');
    smtp.refuse.add('desk@example.com');
    const refusedMail = await runCli(['test-sink', 'mail', '--config', config()], { env });
    expect(refusedMail.code).toBe(2);
    expect(refusedMail.stderr).toMatch(/mail \(email\) did not take the test event: .*550/);

    await discord.stop();
    const unreachable = await runCli(['test-sink', 'chat', '--config', config()], { env });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(unreachable.stderr).not.toContain('secret-token');

    const unknown = await runCli(['test-sink', 'pager', '--config', config()], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no sink named "pager" .*\(sinks: stdout, chat, team, mail, hook\)/);
  }, 60_000);

  it('is a button over HTTP: POST /api/sinks/:name/test answers delivered or the reason', async () => {
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    exchange.setPrice('BTCUSDT', 60000, 60000);
    const service = startCli(['run', '--config', config(), '--http', `127.0.0.1:${port}`], { env: { ...env, LOG_LEVEL: 'info' } });
    try {
      await new LineCollector(service.stderr!).waitFor((l) => l.includes('asterwatch started'), 20_000);
      const base = `http://127.0.0.1:${port}`;
      const list = (await (await fetch(base + '/api/sinks')).json()) as { sinks: Array<Record<string, unknown>> };
      expect(list.sinks.map((s) => `${s.name}:${s.type}`)).toEqual(['stdout:stdout', 'chat:discord', 'team:slack', 'mail:email', 'hook:webhook']);
      expect(JSON.stringify(list)).not.toContain('secret');
      const ok = await fetch(base + '/api/sinks/team/test', { method: 'POST' });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ sink: 'team', delivered: true, error: null });
      hook.answers.push({ status: 500, body: { error: 'down' } });
      const failed = await fetch(base + '/api/sinks/hook/test', { method: 'POST' });
      expect(failed.status).toBe(502);
      expect(await failed.json()).toMatchObject({ sink: 'hook', delivered: false, error: expect.stringMatching(/HTTP 500/) });
      expect((await fetch(base + '/api/sinks/nope/test', { method: 'POST' })).status).toBe(404);
      expect((await fetch(base + '/api/sinks/hook/test', { method: 'POST', headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
    }
  }, 60_000);
});
