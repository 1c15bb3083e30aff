/**
 * @module cli/check — `asterwatch check`: one round now, using and updating the same state.
 */
import { createLogger } from '../log/logger.js';
import { resolveConfigPath, resolveStatePath, Service } from '../service/service.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import { CONFIG_FLAGS, CONFIG_HELP } from './common-flags.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const CHECK_HELP = `Usage: asterwatch check [--config FILE] [--state PATH] [--fresh-state] [--monitor NAME]

Checks every monitor (or one) once, now, with the same state as the service: a
once-alert that fired before does not fire again. Every raised event is printed to
standard output as one JSON line, and delivered to the monitor's other sinks.

Options:
${CONFIG_HELP}
  -m, --monitor NAME  check only this monitor
  -h, --help          show this help

Exit status: 0 when every check ran, 1 on a configuration error, 2 if a check failed.`;

const DELIVERY_TIMEOUT_MS = 10_000;

export async function checkCommand(argv: string[], io: CommandIO): Promise<number> {
  // The round's identity for `check` is the moment of invocation (events.md).
  const invokedAt = Date.now();
  const args = parseCommandArgs('check', argv, { ...CONFIG_FLAGS, monitor: { type: 'string', short: 'm' } });
  if (booleanFlag(args, 'help')) {
    io.out(CHECK_HELP);
    return 0;
  }
  const logger = createLogger();
  const service = Service.open({
    configPath: resolveConfigPath(stringFlag(args, 'config')),
    statePath: resolveStatePath(stringFlag(args, 'state')),
    logger,
    freshState: booleanFlag(args, 'fresh-state'),
  });
  try {
    const only = stringFlag(args, 'monitor');
    const monitors = only === undefined ? service.config.monitors : service.config.monitors.filter((m) => m.name === only);
    if (monitors.length === 0) {
      throw new UsageError(`check: no monitor named ${JSON.stringify(only)}; monitors: ${service.config.monitors.map((m) => m.name).join(', ')}`);
    }
    await service.verify();
    const outcome = await service.runRound(
      invokedAt,
      monitors.filter((m) => m.plugin.driver.kind === 'polled'),
    );
    for (const { event } of outcome.events) io.out(JSON.stringify(event));
    // Printed: that is the stdout delivery, so the outbox must not print it again.
    await service.store.outbox.settle(
      'stdout',
      outcome.events.map((e) => e.seq),
      Date.now(),
    );
    service.outbox.start();
    // Waits for retries too (a receiver answering 503 once), within the bound; then says what is left.
    const flushed = await service.outbox.drain(DELIVERY_TIMEOUT_MS);
    if (!flushed) {
      const left = (await service.store.outbox.depth([...service.sinks.keys()])).filter((d) => d.pending > 0);
      const list = left.map((d) => `${d.sink}: ${d.pending}`).join(', ');
      logger.warn(
        { pending: Object.fromEntries(left.map((d) => [d.sink, d.pending])) },
        `deliveries still pending after ${DELIVERY_TIMEOUT_MS / 1000} s (${list}); the service (asterwatch run) will retry them`,
      );
      io.err(`asterwatch check: deliveries still pending after ${DELIVERY_TIMEOUT_MS / 1000} s (${list}); the service (asterwatch run) will retry them`);
    }
    return outcome.failed.length > 0 ? 2 : 0;
  } finally {
    await service.outbox.stop();
    await service.store.close();
  }
}
