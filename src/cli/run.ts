/**
 * @module cli/run — `asterwatch run`: the long-lived service.
 */
import { createLogger } from '../log/logger.js';
import { resolveConfigPath, resolveStatePath, Service } from '../service/service.js';
import { StatusLine, statusIntervalSeconds } from '../service/status-line.js';
import { ConfigReloader } from '../service/config-reloader.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import { CONFIG_FLAGS, CONFIG_HELP } from './common-flags.js';
import type { CommandIO } from './io.js';
import { HTTP_HELP, requestedListen, startHttp } from './http-flag.js';
import { tuneHeapForService } from '../service/heap.js';

export const RUN_HELP = `Usage: asterwatch run [--config FILE] [--state PATH] [--fresh-state] [--http [HOST:]PORT]

Runs every monitor at its interval (or cron schedule) until SIGINT/SIGTERM. The monitors file
is reloaded when it changes and on SIGHUP: a valid new configuration replaces the running one
(unchanged monitors keep their state and schedule); an invalid one is refused, every problem
logged, and the running one goes on.
Events go to the configured sinks (standard output by default, one JSON object per
line); logs go to standard error (LOG_LEVEL sets the level), and also to LOG_FILE when set
(JSON lines, rotated daily at UTC midnight, seven old files kept). A status line is logged
every STATUS_INTERVAL seconds (default 300; 0 turns it off).

Options:
${CONFIG_HELP}
${HTTP_HELP}
  -h, --help         show this help

Exit status: 0 after a clean shutdown, 1 on a configuration error, 2 on a runtime failure.`;

/** How long shutdown waits for running checks and the outbox. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('run', argv, { ...CONFIG_FLAGS, http: { type: 'string' } });
  if (booleanFlag(args, 'help')) {
    io.out(RUN_HELP);
    return 0;
  }
  const listen = requestedListen(stringFlag(args, 'http'));
  const idleCollection = tuneHeapForService();
  const statusEvery = statusIntervalSeconds();
  const logger = createLogger();
  // SIGHUP means "reload" only while the reloader runs. Before it starts and once shutdown has
  // begun it is logged and ignored: with no listener Node's default would end the process,
  // cutting a start-up or the shutdown's last deliveries short.
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const hangupOutsideRun = () => {
    if (phase === 'starting') logger.info('SIGHUP before start-up finished: ignored (reloads begin once started)');
    else if (phase === 'stopping') logger.info('SIGHUP while stopping: ignored');
  };
  process.on('SIGHUP', hangupOutsideRun);
  let service: Service;
  try {
    service = Service.open({
      configPath: resolveConfigPath(stringFlag(args, 'config')),
      statePath: resolveStatePath(stringFlag(args, 'state')),
      logger,
      freshState: booleanFlag(args, 'fresh-state'),
      idleCollection,
    });
  } catch (error) {
    process.off('SIGHUP', hangupOutsideRun);
    throw error;
  }
  let http: Awaited<ReturnType<typeof startHttp>> | null;
  try {
    await service.verify();
    http = listen === null ? null : await startHttp(listen, service, logger);
  } catch (error) {
    await service.store.close();
    process.off('SIGHUP', hangupOutsideRun);
    throw error;
  }
  try {
    await service.start();
  } catch (error) {
    // A schedule that cannot run: nothing half-started stays up (no HTTP answering "ok").
    await http?.close();
    await service.stop(0);
    process.off('SIGHUP', hangupOutsideRun);
    throw error;
  }
  logger.info({ monitors: service.config.monitors.length, config: service.config.file, state: service.store.location }, 'asterwatch started');
  const status = new StatusLine(service, logger);
  status.start(statusEvery);
  // The configuration follows its file (and SIGHUP): see ConfigReloader.
  const reloader = new ConfigReloader(service, service.config.file, logger);
  reloader.start();
  phase = 'running';

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.off('SIGHUP', hangupOutsideRun);
        resolve(1);
        return;
      }
      stopping = true;
      phase = 'stopping';
      logger.info({ signal }, 'stopping: no new checks; finishing running ones');
      void (async () => {
        status.stop();
        await reloader.stop();
        await http?.close();
        await service.stop(SHUTDOWN_TIMEOUT_MS);
        logger.info('stopped cleanly');
        process.off('SIGHUP', hangupOutsideRun);
        resolve(0);
      })();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
