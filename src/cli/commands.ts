/**
 * @module cli/commands — the table of commands; adding one is one line here.
 */
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { explainCommand } from './explain.js';
import { liquidationsCommand } from './liquidations.js';
import type { CommandIO } from './io.js';
import { outboxCommand } from './outbox.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { silenceCommand } from './silence.js';
import { testSinkCommand } from './test-sink.js';
import { validateCommand } from './validate.js';

export type Command = (argv: string[], io: CommandIO) => number | Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  check: checkCommand,
  validate: validateCommand,
  explain: explainCommand,
  outbox: outboxCommand,
  liquidations: liquidationsCommand,
  replay: replayCommand,
  silence: silenceCommand,
  'test-sink': testSinkCommand,
  demo: demoCommand,
};

export const MAIN_HELP = `asterwatch — condition monitors for the Aster DEX exchange

Usage: asterwatch <command> [options]

Commands:
  run                    run the monitors as a service (npm start)
  check                  check every monitor (or one) once, now
  validate               check monitors.yaml and report every error
  explain '<condition>'  describe a condition and try it on values
  outbox [retry]         show (or replay) undelivered and dead events
  liquidations [tail]    the recorded liquidation feed (or the live stream)
  replay                 how monitors would have behaved over a past range
  silence add|list|remove  mute a monitor (or one subject) for a while
  test-sink NAME         send a test event to one sink now and show the answer
  demo                   a simulated exchange and the service on it, with the dashboard (npm run demo)

Run 'asterwatch <command> --help' for a command's options; 'asterwatch --version' for the version.`;
