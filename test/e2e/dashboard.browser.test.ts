import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';
import { LineCollector } from '../helpers/lines.js';
import { Receiver } from '../helpers/receiver.js';

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

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: new URL('dashboard-laptop.png', OUTPUT).pathname, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1); // usable on a phone: no sideways scrolling of the page
      await page.screenshot({ path: new URL('dashboard-phone.png', OUTPUT).pathname, fullPage: true });
      expect(existsSync(new URL('dashboard-laptop.png', OUTPUT))).toBe(true);
      await page.close();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.on('exit', resolve));
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
