import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';
import { SqliteStore } from '../../src/store/index.js';
import { FakeStreamServer } from '../../src/testing/fake-stream.js';
import { frame, generate, matching, reference } from '../support/liquidations.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = new URL('../../test-output/', import.meta.url);

// .ci/run installs Debian's chromium; a developer machine without it skips this file loudly.
// In CI it never skips: a missing browser fails the test instead of passing unseen.
const describeWithBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`skipping the dashboard browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

describeWithBrowser('the dashboard in a real browser', () => {
  let exchange: FakeExchange;
  let browser: Browser;

  beforeAll(async () => {
    exchange = await new FakeExchange().start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await exchange?.stop();
  });

  it('shows the monitors, then a new event live, on a laptop and on a phone', async () => {
    exchange.setPrice('BTCUSDT', 64000, 60000);
    exchange.setPrice('ETHUSDT', 3000, 3000);
    const dir = mkdtempSync(join(tmpdir(), 'aw-dash-'));
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      `monitors:
  - name: majors
    monitoring_mode: market
    check_interval: 3600
    monitored_assets:
      - { asset: BTC, condition: "> 70000" }
      - { asset: ETH, condition: ">> 5%" }
`,
    );
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
    const service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env });
    const logs = new LineCollector(service.stderr!);
    try {
      await logs.waitFor((line) => line.includes('HTTP surface listening'));
      const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      const card = page.locator('[data-testid="monitor"][data-monitor="majors"]');
      await card.waitFor({ timeout: 15_000 });
      await page.locator('[data-testid="live"]', { hasText: 'live' }).waitFor({ timeout: 15_000 });
      expect(await card.locator('[data-testid="subject"]').count()).toBe(2);
      // The BTC condition is a level: its chart draws the threshold.
      await card.locator('[data-subject="BTC"] [data-testid="threshold"]').waitFor({ state: 'attached', timeout: 15_000 });
      expect(await card.locator('[data-subject="ETH"] [data-testid="threshold"]').count()).toBe(0); // a change condition has no level
      expect(await page.locator('[data-testid="event"]').count()).toBe(0);

      // A new event, raised by another process on the same database, appears without a reload.
      exchange.setPrice('BTCUSDT', 75000);
      const check = await runCli(['check', '--config', config], { env });
      expect(check.code).toBe(0);
      const id = (JSON.parse(check.stdout.trim().split('\n')[0]!) as { id: string }).id;
      await page.locator(`[data-testid="event"][data-event-id="${id}"]`).waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="event"]').first().innerText()).toContain('majors · BTC');

      // When the configuration was loaded, in the header.
      expect(await page.locator('[data-testid="config-loaded"]').innerText()).toMatch(/^monitors\.yaml loaded /);
      // A test alert to a sink, from its button.
      const sink = page.locator('[data-testid="sink"][data-sink="stdout"]');
      await sink.locator('[data-testid="sink-test"]').click();
      await sink.locator('[data-testid="sink-result"]', { hasText: /^delivered in \d+ ms$/ }).waitFor({ timeout: 15_000 });
      // Silenced for an hour from the card, then unmuted.
      await card.locator('[data-testid="silence-1h"]').click();
      await card.locator('[data-testid="silenced"]', { hasText: /^silenced until / }).waitFor({ timeout: 15_000 });
      const silences = (await (await fetch(`http://127.0.0.1:${port}/api/silences`)).json()) as { silences: Array<Record<string, unknown>> };
      expect(silences.silences).toEqual([expect.objectContaining({ monitor: 'majors', subject: null, created_by: 'dashboard', active: true })]);
      expect(Date.parse(silences.silences[0]!.ends_at as string) - Date.parse(silences.silences[0]!.starts_at as string)).toBe(3_600_000);

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: new URL('dashboard-laptop.png', OUTPUT).pathname, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1); // usable on a phone: no sideways scrolling of the page
      await page.screenshot({ path: new URL('dashboard-phone.png', OUTPUT).pathname, fullPage: true });
      expect(existsSync(new URL('dashboard-laptop.png', OUTPUT))).toBe(true);
      await card.locator('[data-testid="unsilence"]').click();
      await card.locator('[data-testid="silence-4h"]').waitFor({ timeout: 15_000 });
      expect(((await (await fetch(`http://127.0.0.1:${port}/api/silences`)).json()) as { silences: unknown[] }).silences).toEqual([]);
      await page.close();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
    }
  }, 90_000);

  it('opens the SVG chart of a replay: well-formed, one panel per subject, a marker at every fire', async () => {
    const MIN = 60_000;
    exchange.setPrice('BTCUSDT', 60000);
    exchange.klineClose = (symbol, openTime) =>
      symbol === 'BTCUSDT' ? Math.round(60000 + 5000 * Math.sin((openTime / (3_600_000 * 6)) * 2 * Math.PI)) : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'aw-chart-'));
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'monitors:\n  - { name: btc, monitoring_mode: market, check_interval: 300, monitored_assets: [{ asset: BTC, condition: ">> 64000" }] }\n',
    );
    const to = Math.floor((Date.now() - 2 * 3_600_000) / MIN) * MIN;
    const chart = join(dir, 'chart.svg');
    const result = await runCli(['replay', '--config', config, '--from', String(to - 86_400_000), '--to', String(to), '--format', 'json', '--chart', chart], {
      env: { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'warn' },
    });
    expect(result.code, result.stderr).toBe(0);
    const fires = result.stdout.trim().split('\n').length - 1;
    expect(fires).toBeGreaterThan(0);
    const page = await browser.newPage();
    const parsed = await page.evaluate(
      (svg) => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return {
          error: doc.getElementsByTagName('parsererror').length,
          panels: doc.querySelectorAll('g[data-subject]').length,
          fires: doc.querySelectorAll('circle.fire').length,
          level: doc.querySelectorAll('line.level').length,
          line: doc.querySelectorAll('polyline.value').length,
        };
      },
      readFileSync(chart, 'utf8'),
    );
    expect(parsed).toEqual({ error: 0, panels: 1, fires, level: 1, line: 1 });
    await page.close();
  }, 60_000);

  it('shows each open position of a positions monitor with its distance to liquidation in words', async () => {
    const key = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
    const signer = '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';
    const row = {
      symbol: 'BTCUSDT',
      positionAmt: '0.5',
      entryPrice: '60000',
      markPrice: '61000',
      liquidationPrice: '58437.6',
      unRealizedProfit: '500',
      leverage: '20',
      marginType: 'isolated',
      positionSide: 'LONG',
    };
    exchange.addWallet(signer, {
      balances: [],
      futures: { totalMarginBalance: '1000' },
      positions: [row, { ...row, positionSide: 'SHORT', positionAmt: '-1', markPrice: '61000', liquidationPrice: '73200' }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'aw-dash-pos-'));
    const config = join(dir, 'monitors.yaml');
    writeFileSync(config, `monitors:\n  - { name: perps, monitoring_mode: positions, check_interval: 3600, signer: "${signer}", private_key: "\${KEY}" }\n`);
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const env = { ASTER_BASE_URL: exchange.url, ASTER_FUTURES_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info', KEY: key };
    const service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env });
    const logs = new LineCollector(service.stderr!);
    try {
      await logs.waitFor((line) => line.includes('HTTP surface listening'));
      const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      const card = page.locator('[data-testid="monitor"][data-monitor="perps"]');
      await card.locator('[data-subject="BTCUSDT:SHORT"] [data-testid="subject-detail"]').waitFor({ timeout: 15_000 });
      expect(await card.locator('th').nth(1).innerText()).toBe('% to liquidation');
      // Reading the account is reaching the exchange: a positions-only service becomes ready.
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(await card.locator('[data-subject="BTCUSDT:LONG"] [data-testid="subject-detail"]').innerText()).toContain(
        'BTCUSDT long is 4.2 % from liquidation at $58,437.6',
      );
      expect(await card.locator('[data-subject="BTCUSDT:SHORT"] [data-testid="subject-detail"]').innerText()).toContain(
        'BTCUSDT short is 20.0 % from liquidation at $73,200',
      );
      expect(await card.locator('[data-subject="BTCUSDT:LONG"] td.num').first().innerText()).toMatch(/^4\.2/);
      expect((await page.content()).toLowerCase()).not.toContain(key.slice(2));
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: new URL('dashboard-positions-phone.png', OUTPUT).pathname, fullPage: true });
      await page.close();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
    }
  }, 90_000);

  it('shows the liquidations panel: venue state, totals, a 24 h chart with its gap, the largest, the leaders and a live feed above an adjustable amount; on a phone too', async () => {
    exchange.setPrice('BTCUSDT', 64000, 60000);
    const stream = await new FakeStreamServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'aw-dash-liq-'));
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'liquidations: { venues: [aster] }\nmonitors:\n  - { name: majors, monitoring_mode: market, check_interval: 3600, monitored_assets: [{ asset: BTC, condition: "> 70000" }] }\n',
    );
    // A day of history, and a gap two hours long, recorded before the service starts.
    const now = Date.now();
    const HOUR = 3_600_000;
    const rows = generate(600, now - 23 * HOUR, now - 60_000, 5).map((l) => ({ ...l, venue: 'aster' as const }));
    const seeded = SqliteStore.open(join(dir, 'state.db'));
    await seeded.liquidations.record(rows);
    await seeded.liquidations.recordGap({ venue: 'aster', start: now - 10 * HOUR, end: now - 8 * HOUR });
    await seeded.close();
    const day = reference(matching(rows, { since: now - 24 * HOUR, until: now }));
    const biggest = [...rows].sort((a, b) => b.notionalUsd - a.notionalUsd)[0]!;

    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const env = { ASTER_BASE_URL: exchange.url, ASTER_WS_URL: stream.url(), ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info' };
    const service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env });
    const logs = new LineCollector(service.stderr!);
    try {
      await logs.waitFor((line) => line.includes('HTTP surface listening'));
      await logs.waitFor((line) => line.includes('feed connected'));
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      const panel = page.locator('[data-testid="liquidations"]');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
      await page.locator('[data-testid="liq-venue"][data-venue="aster"][data-connected="true"]').waitFor({ timeout: 15_000 });

      // Totals for 1 h, 4 h and 24 h, the 24 h one matching the stored rows.
      const tiles = page.locator('[data-testid="liq-total"]');
      await tiles.first().waitFor({ timeout: 15_000 });
      expect(await tiles.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-window')))).toEqual(['1 h', '4 h', '24 h']);
      const one = (x: number) => x.toFixed(1).replace(/\.0$/, '');
      const compact = (n: number) => (n >= 1e9 ? `$${one(n / 1e9)}B` : n >= 1e6 ? `$${one(n / 1e6)}M` : `$${one(n / 1e3)}k`);
      const dayTile = await page.locator('[data-testid="liq-total"][data-window="24 h"]').innerText();
      expect(dayTile).toContain(compact(day.total));
      expect(dayTile).toContain(`${day.count.toLocaleString('en-US')} liquidations`);
      expect(dayTile).toContain('gap');

      // The chart: one bar group per 15-minute bucket of the last 24 h, and the gap drawn.
      const buckets = await page.locator('[data-testid="liq-chart"] [data-testid="liq-bucket"]').count();
      expect(buckets).toBeGreaterThanOrEqual(96);
      expect(buckets).toBeLessThanOrEqual(97);
      // The seeded two-hour gap spans 2/24 of the chart's 960 units (the service adds a short one of its own before it connects).
      const widths = await page
        .locator('[data-testid="liq-chart"] [data-testid="liq-gap"]')
        .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('width'))));
      expect(Math.max(...widths)).toBeGreaterThan(75);
      expect(Math.max(...widths)).toBeLessThan(85);

      // The largest first, and the leading symbols.
      const largest = page.locator('[data-testid="liq-largest-item"]');
      expect(await largest.count()).toBe(8);
      expect(await largest.first().innerText()).toContain(compact(biggest.notionalUsd));
      expect(await page.locator('[data-testid="liq-leader"]').count()).toBeGreaterThan(0);

      // The live feed: raise the amount; a small liquidation is left out, a big one appears.
      const live = page.locator('[data-testid="liq-live"]');
      await page.locator('[data-testid="liq-min"]').fill('250000');
      await page.locator('[data-testid="liq-live"][data-min="250000"][data-state="open"]').waitFor({ timeout: 15_000 });
      const before = await page.locator('[data-testid="liq-live-item"]').count();
      stream.broadcast(frame({ s: 'DOGEUSDT', S: 'SELL', q: '1000', p: '0.2', T: Date.now() }));
      stream.broadcast(frame({ s: 'ETHUSDT', S: 'BUY', q: '100', p: '3100', T: Date.now() }));
      await live.locator('[data-testid="liq-live-item"]', { hasText: '$310k' }).first().waitFor({ timeout: 15_000 });
      expect(await live.locator('[data-testid="liq-live-item"]', { hasText: '$200' }).count()).toBe(0); // the small one (1000 DOGE at 0.2)
      expect(await page.locator('[data-testid="liq-live-item"]').count()).toBe(before + 1);
      expect(await live.locator('[data-testid="liq-live-item"]').first().innerText()).toContain('$310k');

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: new URL('liquidations-laptop.png', OUTPUT).pathname, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      expect(await panel.isVisible()).toBe(true);
      await page.screenshot({ path: new URL('liquidations-phone.png', OUTPUT).pathname, fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
      await stream.stop();
    }
  }, 90_000);

  it('opens with #token=… when HTTP_TOKEN is set: the page loads, the token leaves the address bar, data and live events arrive, nothing breaks the CSP', async () => {
    exchange.setPrice('BTCUSDT', 64000, 60000);
    const dir = mkdtempSync(join(tmpdir(), 'aw-dash-token-'));
    const config = join(dir, 'monitors.yaml');
    writeFileSync(
      config,
      'monitors:\n  - { name: guarded, monitoring_mode: market, check_interval: 3600, monitored_assets: [{ asset: BTC, condition: "> 70000" }] }\n',
    );
    const probe = await new Receiver().start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const token = 'dashboard-token-0123456789';
    const env = { ASTER_BASE_URL: exchange.url, ASTERWATCH_STATE: join(dir, 'state.db'), LOG_LEVEL: 'info', HTTP_TOKEN: token };
    const service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env });
    const logs = new LineCollector(service.stderr!);
    try {
      await logs.waitFor((line) => line.includes('HTTP surface listening'));
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${port}/#token=${token}`);
      await page.locator('[data-testid="monitor"][data-monitor="guarded"]').waitFor({ timeout: 15_000 });
      await page.locator('[data-testid="live"]', { hasText: 'live' }).waitFor({ timeout: 15_000 });
      expect(page.url()).not.toContain(token);
      exchange.setPrice('BTCUSDT', 75000);
      const check = await runCli(['check', '--config', config], { env });
      const id = (JSON.parse(check.stdout.trim().split('\n')[0]!) as { id: string }).id;
      await page.locator(`[data-testid="event"][data-event-id="${id}"]`).waitFor({ timeout: 15_000 });
      expect(problems.filter((p) => /Content Security Policy|Refused to/.test(p))).toEqual([]);
      await page.close();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
    }
  }, 90_000);
});
