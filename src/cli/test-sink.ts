/**
 * @module cli/test-sink — `asterwatch test-sink NAME`: a clearly marked test event to one sink,
 * now, and what the receiver answered.
 */
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { createSink } from '../delivery/sinks/registry.js';
import { renderTelegramMessage } from '../delivery/sinks/telegram-message.js';
import { sendTestEvent } from '../delivery/test-sink.js';
import { silentLogger } from '../log/logger.js';
import { resolveConfigPath } from '../service/service.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const TEST_SINK_HELP = `Usage: asterwatch test-sink NAME [--config FILE] [--json]

Sends one test event (type asterwatch.test, marked as a test in every channel) to the sink
NAME of the configuration, now, once (no outbox, no retry), and prints what the receiver
answered.

Options:
  -c, --config FILE  monitors file (default: $ASTERWATCH_CONFIG or ./monitors.yaml)
      --json         print one JSON object
  -h, --help         show this help

Exit status: 0 delivered, 1 for a usage or configuration error (an unknown sink), 2 refused or
unreachable (with the reason).`;

/** One delivery may take this long (the service's delivery timeout). */
const TIMEOUT_MS = 10_000;

export async function testSinkCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('test-sink', argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } }, true);
  if (booleanFlag(args, 'help')) {
    io.out(TEST_SINK_HELP);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('test-sink takes the name of one sink: asterwatch test-sink NAME');
  const name = args.positionals[0]!;
  const config = loadConfig(resolveConfigPath(stringFlag(args, 'config')));
  const settings = Object.hasOwn(config.sinks, name) ? config.sinks[name] : undefined;
  if (settings === undefined)
    throw new UsageError(`test-sink: no sink named ${JSON.stringify(name)} in ${config.file} (sinks: ${Object.keys(config.sinks).join(', ')})`);
  const sink = createSink(name, settings, {
    logger: silentLogger(),
    baseDir: dirname(resolve(config.file)),
    timeoutMs: TIMEOUT_MS,
    renderTelegram: (event) => renderTelegramMessage(event),
  });
  try {
    const outcome = await sendTestEvent(sink);
    if (booleanFlag(args, 'json')) io.out(JSON.stringify(outcome));
    else if (outcome.delivered) io.out(`delivered a test event to ${name} (${outcome.type}) in ${outcome.ms} ms`);
    else io.err(`test-sink: ${name} (${outcome.type}) did not take the test event: ${outcome.error}`);
    return outcome.delivered ? 0 : 2;
  } finally {
    await sink.close?.();
  }
}
