import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { Receiver } from '../helpers/receiver.js';

let exchange: FakeExchange;
let hook: Receiver;
let bot: Receiver;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 80000, 50000); // +60%: critical
  exchange.setPrice('ETHUSDT', 3100, 3000); // +3.3%: low
  hook = await new Receiver().start();
  bot = await new Receiver().start();
  dir = mkdtempSync(join(tmpdir(), 'aw-sinks-'));
  env = {
    ASTER_BASE_URL: exchange.url,
    ASTERWATCH_STATE: join(dir, 'state.db'),
    LOG_LEVEL: 'warn',
    HOOK_URL: `${hook.url}/alerts`,
    BOT_TOKEN: '123:abc',
    BOT_API: bot.url,
  };
  writeFileSync(
    join(dir, 'monitors.yaml'),
    `sinks:
  ops: { type: webhook, url: "\${HOOK_URL}", min_severity: high }
  channel: { type: telegram, bot_token: "\${BOT_TOKEN}", chat_id: 42, api_url: "\${BOT_API}" }
  archive: { type: file, path: ./alerts.jsonl }
monitors:
  - name: majors
    monitoring_mode: market
    notify: [ops, channel, archive]
    monitored_assets: [{ asset: BTC, condition: "> 1%" }, { asset: ETH, condition: "> 1%" }]
`,
  );
});

afterEach(async () => {
  await Promise.all([exchange.stop(), hook.stop(), bot.stop()]);
});

const config = () => join(dir, 'monitors.yaml');

describe('check with configured sinks', () => {
  it('delivers to each sink, filtered by min_severity, and prints every event', async () => {
    const result = await runCli(['check', '--config', config()], { env });
    expect(result.code).toBe(0);
    const printed = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { subject: string });
    expect(printed.map((e) => e.subject)).toEqual(['BTC', 'ETH']);
    expect(hook.received.map((r) => (JSON.parse(r.body) as { subject: string }).subject)).toEqual(['BTC']); // ETH is low
    expect(bot.received.map((r) => r.path)).toEqual(['/bot123:abc/sendMessage', '/bot123:abc/sendMessage']);
    expect(readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('keeps undelivered events, shows them with `outbox`, and replays dead ones with `outbox retry`', async () => {
    hook.defaultAnswer = { status: 410, body: { error: 'gone' } }; // permanent
    await runCli(['check', '--config', config()], { env });
    const table = await runCli(['outbox'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ops\s+0\s+1\s+0\s+-$/m);
    expect(table.stdout).toMatch(/^channel\s+0\s+0\s+2\s+-$/m);
    expect(table.stdout).toContain('answered HTTP 410');

    hook.defaultAnswer = { status: 200, body: {} };
    const retried = await runCli(['outbox', 'retry', '--sink', 'ops'], { env });
    expect(retried.stdout.trim()).toBe('1 dead delivery of sink ops moved back to pending');
    exchange.setPrice('BTCUSDT', 80000); // unchanged: the next check raises nothing new
    const again = await runCli(['check', '--config', config()], { env });
    expect(again.stdout).toBe('');
    expect(hook.received.filter((r) => r.headers['content-type'] === 'application/cloudevents+json')).toHaveLength(2);
    expect(JSON.parse((await runCli(['outbox', '--json'], { env })).stdout).sinks.find((s: { sink: string }) => s.sink === 'ops')).toMatchObject({
      pending: 0,
      dead: 0,
      done: 1,
    });
  });

  it('rejects an unknown outbox action', async () => {
    const result = await runCli(['outbox', 'purge'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("use 'asterwatch outbox' or 'asterwatch outbox retry'");
  });
});
