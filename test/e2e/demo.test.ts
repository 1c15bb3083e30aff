/**
 * `npm run demo` — which builds, then runs `asterwatch demo` (the command run here, as a real
 * child process): a simulated exchange in the process, the service on it, the dashboard at the
 * printed address, and a first event of every mode within a minute, with no account and
 * nothing but 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { LineCollector } from '../helpers/lines.js';

describe('the offline demo', () => {
  it('is what npm run demo runs', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.demo).toMatch(/node .*dist\/cli\/main\.js demo$/);
    expect(scripts.predemo).toBe('npm run build');
  });

  it('prints the dashboard address and raises a first event of every mode within a minute', async () => {
    const child = startCli(['demo', '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
    const out = new LineCollector(child.stdout!);
    try {
      const address = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(await out.waitFor((l) => l.startsWith('Dashboard: '), 15_000))![1]!;
      const wanted = [
        'asterex.market.condition_met',
        'asterex.portfolio.condition_met',
        'asterex.positions.condition_met',
        'asterex.liquidation.condition_met',
      ];
      const types = () => new Set(out.lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { type: string }).type));
      await out.waitFor(() => wanted.every((t) => types().has(t)), 60_000);
      const page = await fetch(address);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>asterwatch</title>');
      const { monitors } = (await (await fetch(address + 'api/monitors')).json()) as { monitors: Array<{ mode: string }> };
      expect(new Set(monitors.map((m) => m.mode))).toEqual(new Set(['market', 'portfolio', 'positions', 'liquidations']));
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
    }
  }, 90_000);

  it('prints its configuration, a starting point for your own', async () => {
    const printed = await runCli(['demo', '--print-config']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/monitoring_mode: liquidations/);
    expect(printed.stdout).toMatch(/asterwatch demo --config demo\.yaml/);
  });
});
