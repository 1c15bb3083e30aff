/**
 * `.env` beside monitors.yaml is one rule for every variable .env.example lists: the
 * real environment wins, and whatever is only in .env is honoured by every command.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

let exchange: FakeExchange;
let dir: string;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-dotenv-'));
  writeFileSync(
    join(dir, 'monitors.yaml'),
    'monitors:\n  - { name: m, monitoring_mode: market, check_interval: 3600, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
  );
});

afterEach(() => exchange.stop());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('.env beside the configuration', () => {
  it('sets ASTER_BASE_URL, ASTERWATCH_STATE and LOG_LEVEL for check', async () => {
    writeFileSync(join(dir, '.env'), `ASTER_BASE_URL=${exchange.url}\nASTERWATCH_STATE=${join(dir, 'from-dotenv.db')}\nLOG_LEVEL=debug\n`);
    const result = await runCli(['check', '--config', join(dir, 'monitors.yaml')]);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'from-dotenv.db'))).toBe(true);
    expect(result.stderr).toContain('"msg":"round done"'); // a debug line
  });

  it('is loaded from the current directory when the configuration is the default ./monitors.yaml', async () => {
    writeFileSync(join(dir, '.env'), `ASTER_BASE_URL=${exchange.url}\nASTERWATCH_STATE=${join(dir, 'cwd.db')}\n`);
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'cwd.db'))).toBe(true);
  });

  it('gives run its HTTP_PORT, and its HTTP_TOKEN counts when binding beyond loopback', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, '.env'),
      `ASTER_BASE_URL=${exchange.url}\nASTERWATCH_STATE=${join(dir, 'state.db')}\nHTTP_PORT=0.0.0.0:${port}\nHTTP_TOKEN=a-token-from-dotenv\n`,
    );
    const child = startCli(['run', '--config', join(dir, 'monitors.yaml')]);
    // Polled (bounded: 150 x 100 ms) until the surface .env asked for answers.
    let answered: { unauthenticated: number; authenticated: number } | null = null;
    for (let i = 0; i < 150 && answered === null; i++) {
      try {
        const unauthenticated = (await fetch(`http://127.0.0.1:${port}/api/monitors`)).status;
        const authenticated = (await fetch(`http://127.0.0.1:${port}/api/monitors`, { headers: { authorization: 'Bearer a-token-from-dotenv' } })).status;
        answered = { unauthenticated, authenticated };
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(answered).toEqual({ unauthenticated: 401, authenticated: 200 });
  });

  it('never overrides the real environment', async () => {
    writeFileSync(join(dir, '.env'), `ASTER_BASE_URL=http://127.0.0.1:9/\nASTERWATCH_STATE=${join(dir, 'state.db')}\n`);
    const result = await runCli(['check', '--config', join(dir, 'monitors.yaml')], { env: { ASTER_BASE_URL: exchange.url } });
    expect(result.code).toBe(0);
  });
});
