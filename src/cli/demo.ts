/**
 * @module cli/demo — `asterwatch demo` (`npm run demo`): a simulated exchange in this process —
 * prices that move, an open position, a liquidation stream with bursts — and the service on it
 * with a demo configuration and the dashboard. No account, no internet: every mode fires
 * within a minute.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_API_KEY, DEMO_API_SECRET, DEMO_CONFIG } from '../demo/demo-config.js';
import { DemoMarket } from '../demo/simulation.js';
import { FakeExchange } from '../testing/fake-exchange.js';
import { FakeStreamServer } from '../testing/fake-stream.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { runCommand } from './run.js';
import { UsageError } from './usage-error.js';

export const DEMO_HELP = `Usage: asterwatch demo [--port N] [--config FILE] [--state PATH] [--print-config]

Starts a simulated exchange on this machine (prices that move, an open futures position, a
liquidation stream with bursts) and the service on it, with a demo configuration and the
dashboard; prints the dashboard's address. Every mode fires within a minute. Nothing
contacts the internet. Stop it with Ctrl-C.

Options:
      --port N         the dashboard's port on 127.0.0.1 (default: HTTP_PORT's, else 8080 when
                       it is free, else any free port; 0: any free port)
  -c, --config FILE    run your own monitors file against the simulated exchange instead (start
                       from --print-config, add a sink of yours to try it)
  -s, --state PATH     state database (default: a new temporary one)
      --print-config   print the demo configuration and exit
  -h, --help           show this help`;

export async function demoCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('demo', argv, {
    port: { type: 'string' },
    config: { type: 'string', short: 'c' },
    state: { type: 'string', short: 's' },
    'print-config': { type: 'boolean' },
  });
  if (booleanFlag(args, 'help')) {
    io.out(DEMO_HELP);
    return 0;
  }
  if (booleanFlag(args, 'print-config')) {
    io.out(DEMO_CONFIG);
    return 0;
  }
  // --port, else HTTP_PORT's port, else 8080 when it is free (any free port when it is not).
  const fromEnv = process.env.HTTP_PORT?.trim().split(':').pop();
  const portText = stringFlag(args, 'port') ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  let port: number;
  if (portText === undefined) port = (await isFree(DEFAULT_PORT)) ? DEFAULT_PORT : await freePort();
  else {
    const requested = Number(portText);
    if (!/^\d+$/.test(portText) || requested > 65535)
      throw new UsageError(`demo: --port must be a port number from 0 to 65535, got ${JSON.stringify(portText)}`);
    port = requested === 0 ? await freePort() : requested;
  }

  const dir = mkdtempSync(join(tmpdir(), 'asterwatch-demo-'));
  const configPath = stringFlag(args, 'config') ?? join(dir, 'demo.yaml');
  if (stringFlag(args, 'config') === undefined) writeFileSync(configPath, DEMO_CONFIG);
  const statePath = stringFlag(args, 'state') ?? join(dir, 'state.db');

  const exchange = await new FakeExchange().start();
  const stream = await new FakeStreamServer().start();
  const market = new DemoMarket(exchange, stream);
  market.start();
  // The service reads its endpoints and the demo's credentials from the environment, as always.
  Object.assign(process.env, {
    ASTER_BASE_URL: exchange.url,
    ASTER_FUTURES_URL: exchange.url,
    ASTER_WS_URL: stream.url(),
    DEMO_API_KEY,
    DEMO_API_SECRET,
  });
  const dashboard = `http://127.0.0.1:${port}/${process.env.HTTP_TOKEN ? '#token=<HTTP_TOKEN>' : ''}`;
  // The address on standard output (the first line, before the events) and with the rest on standard error.
  io.out(`Dashboard: ${dashboard}`);
  io.err(
    `asterwatch demo: a simulated exchange at ${exchange.url}, its liquidation stream at ${stream.url()}\n` +
      `asterwatch demo: monitors from ${configPath}; state in ${statePath}\n` +
      `asterwatch demo: dashboard at ${dashboard}; events follow on standard output; Ctrl-C stops`,
  );
  try {
    return await runCommand(['--config', configPath, '--state', statePath, '--http', `127.0.0.1:${port}`], io);
  } finally {
    market.stop();
    await stream.stop();
    await exchange.stop();
  }
}

const DEFAULT_PORT = 8080;

/** Whether `port` on 127.0.0.1 can be listened on now. */
async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on now (asked of the system, then released for the service). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
