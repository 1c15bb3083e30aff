import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { FileSink } from '../../src/delivery/sinks/file.js';
import { SINK_TYPES } from '../../src/delivery/sinks/registry.js';
import { DeliveryError } from '../../src/delivery/sinks/sink.js';
import { formatCompactUsd, formatPrice, renderTelegramMessage } from '../../src/delivery/sinks/telegram-message.js';
import { TelegramSink } from '../../src/delivery/sinks/telegram.js';
import { WebhookSink } from '../../src/delivery/sinks/webhook.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { portfolioEvent } from '../../src/modes/portfolio/index.js';
import { Receiver } from '../helpers/receiver.js';

const context = { monitor: 'majors', condition: '>> 5%', severity: SEVERITY.high, roundTime: 1_700_000_000_000, checkedAt: new Date(1_700_000_000_000) };
const btc = marketEvent(context, { asset: 'BTC', symbol: 'BTCUSDT', current: 64000.5, previous: 53333.75 });
const SECRET = 'a-shared-secret-of-32-characters!';

/** The receiver's side, written independently of the sink: what a user would put in their server. */
function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  secret: string,
  nowSeconds: number,
  seen: Set<string>,
): boolean {
  const timestamp = Number(headers['x-asterwatch-timestamp']);
  const signature = String(headers['x-asterwatch-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const id = (JSON.parse(rawBody) as { id: string }).id;
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

describe('the sink registry', () => {
  it('registers every sink file in src/delivery/sinks', () => {
    const helpers = new Set(['sink.ts', 'registry.ts', 'http-post.ts', 'telegram-message.ts']);
    const files = readdirSync(new URL('../../src/delivery/sinks/', import.meta.url)).filter((f) => f.endsWith('.ts') && !helpers.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(Object.keys(SINK_TYPES).sort());
  });
});

describe('the webhook sink, against a real local receiver', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(() => receiver.stop());

  it('posts the event in structured mode, signed so that the receiver can verify it and refuse a replay', async () => {
    await new WebhookSink('ops', `${receiver.url}/hook`, SECRET, 0, 2000).deliver(btc);
    const [request] = receiver.received;
    expect(request!.headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(request!.body)).toEqual(btc);
    const seen = new Set<string>();
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(request!.headers, request!.body, SECRET, now, seen)).toBe(true);
    expect(verifyWebhook(request!.headers, request!.body, SECRET, now, seen)).toBe(false); // replayed id
    expect(verifyWebhook(request!.headers, request!.body, 'another-secret-of-enough-length', now, new Set())).toBe(false);
    expect(verifyWebhook(request!.headers, request!.body.replace('64000.5', '1'), SECRET, now, new Set())).toBe(false);
    expect(verifyWebhook(request!.headers, request!.body, SECRET, now + 301, new Set())).toBe(false); // too old
  });

  it('sends no signature headers without a secret', async () => {
    await new WebhookSink('ops', receiver.url, undefined, 0, 2000).deliver(btc);
    expect(receiver.received[0]!.headers['x-asterwatch-signature']).toBeUndefined();
  });

  it.each([
    [503, undefined, true, undefined],
    [500, undefined, true, undefined],
    [429, { 'Retry-After': '7' }, true, 7000],
    [400, undefined, false, undefined],
    [404, undefined, false, undefined],
  ])('on HTTP %d: retryable=%s', async (status, headers, retryable, retryAfter) => {
    receiver.answers.push({ status, body: { error: 'nope' }, ...(headers ? { headers } : {}) });
    const error = await new WebhookSink('ops', receiver.url, undefined, 0, 2000).deliver(btc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(retryable);
    expect((error as DeliveryError).retryAfterMs).toBe(retryAfter);
    expect((error as Error).message).toContain(`answered HTTP ${status}: {"error":"nope"}`);
  });

  it('treats an unreachable receiver as retryable', async () => {
    await receiver.stop();
    const error = await new WebhookSink('ops', receiver.url, undefined, 0, 500).deliver(btc).catch((e: unknown) => e);
    expect((error as DeliveryError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });
});

describe('the telegram sink, against a real local Bot API', () => {
  let bot: Receiver;
  const token = '123456:ABC-def_ghi';
  beforeEach(async () => {
    bot = await new Receiver().start();
  });
  afterEach(() => bot.stop());

  it('sends one readable HTML message per event to sendMessage', async () => {
    await new TelegramSink('channel', bot.url, token, -1001, 0, 2000).deliver(btc);
    const [request] = bot.received;
    expect(request!.path).toBe(`/bot${token}/sendMessage`);
    const body = JSON.parse(request!.body) as { chat_id: number; text: string; parse_mode: string };
    expect(body.chat_id).toBe(-1001);
    expect(body.parse_mode).toBe('HTML');
    expect(body.text).toBe(
      '🟠 <b>HIGH</b> · majors\n<b>BTC</b> 64,000.50 USDT  ▲ +20.00% (+10,666.75)\nwas 53,333.75\n<i>condition</i> <code>&gt;&gt; 5%</code>',
    );
  });

  it("honours Telegram's retry_after on 429 and never shows the token", async () => {
    bot.answers.push({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 12', parameters: { retry_after: 12 } } });
    const error = (await new TelegramSink('channel', bot.url, token, 1, 0, 2000).deliver(btc).catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(12_000);
    expect(error.message).not.toContain(token);
  });

  it('treats chat not found as permanent', async () => {
    bot.answers.push({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    const error = (await new TelegramSink('channel', bot.url, token, 1, 0, 2000).deliver(btc).catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('chat not found');
  });

  it('renders portfolio events with compact amounts and the skipped assets', () => {
    const event = portfolioEvent(
      { ...context, monitor: 'treasury <main>', condition: '< 1M', severity: SEVERITY.critical },
      { current: 314_900, previous: 1_200_000, skippedAssets: ['FOO'] },
    );
    expect(renderTelegramMessage(event)).toBe(
      '🔴 <b>CRITICAL</b> · treasury &lt;main&gt;\n<b>Portfolio</b> $314.9k  ▼ -73.76% (-$885.1k)\nwas $1.2M\nnot valued (no USDT pair): FOO\n<i>condition</i> <code>&lt; 1M</code>',
    );
  });

  it.each([
    [64000.5, '64,000.50'],
    [3.14159, '3.1416'],
    [1, '1.00'],
    [0.00001234, '0.00001234'],
    [0.5, '0.50'],
  ])('formats the price %d as %s', (price, text) => expect(formatPrice(price)).toBe(text));

  it.each([
    [999.99, '$999.99'],
    [314_900, '$314.9k'],
    [1_200_000, '$1.2M'],
    [3_000_000_000, '$3B'],
    [-885_100, '-$885.1k'],
  ])('compacts %d as %s', (amount, text) => expect(formatCompactUsd(amount)).toBe(text));
});

describe('the file sink', () => {
  it('appends one JSON line per event, and starts a new line after a partial one left by a crash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-file-')), 'alerts.jsonl');
    writeFileSync(path, '{"id":"complete"}\n{"id":"trunc');
    const sink = new FileSink('archive', path, 0);
    await sink.deliver(btc);
    await sink.deliver(btc);
    await sink.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toEqual(['{"id":"complete"}', '{"id":"trunc', JSON.stringify(btc), JSON.stringify(btc), '']);
  });

  it('keeps every line whole when several processes append to one file at once (O_APPEND)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-file-')), 'alerts.jsonl');
    const writer = fileURLToPath(new URL('../support/append-events.mjs', import.meta.url));
    const LINES = 400;
    // Four real processes, each writing big lines (4 KiB events) as fast as it can.
    const children = Array.from({ length: 4 }, (_, i) =>
      spawn(process.execPath, [writer, path, String(LINES), `writer-${i}`], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    const codes = await Promise.all(children.map((child) => new Promise<number | null>((resolve) => child.on('exit', resolve))));
    expect(codes).toEqual([0, 0, 0, 0]);
    // No event is cut, and no empty line appears: a writer that opens the file while another
    // is mid-write waits for that line to end instead of taking it for a crash's leftover.
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.filter((line) => line === '')).toEqual([]);
    expect(lines).toHaveLength(4 * LINES);
    const perWriter = new Map<string, number>();
    for (const line of lines) {
      const event = JSON.parse(line) as { data: { monitor: string; padding: string } };
      expect(event.data.padding).toHaveLength(4096);
      perWriter.set(event.data.monitor, (perWriter.get(event.data.monitor) ?? 0) + 1);
    }
    expect([...perWriter.values()]).toEqual([LINES, LINES, LINES, LINES]);
  });
});
