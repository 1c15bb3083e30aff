/**
 * @module cli/commands — the table of commands; adding one is one line here.
 */
import type { CommandIO } from './io.js';

export type Command = (argv: string[], io: CommandIO) => number | Promise<number>;

/**
 * Each command's module is loaded when that command runs: `run` does not carry `demo`'s
 * simulated exchange (and its EIP-712 library, ~30 MB resident) or `replay`'s charts.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./run.js')).runCommand,
  check: async () => (await import('./check.js')).checkCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  outbox: async () => (await import('./outbox.js')).outboxCommand,
  liquidations: async () => (await import('./liquidations.js')).liquidationsCommand,
  replay: async () => (await import('./replay.js')).replayCommand,
  silence: async () => (await import('./silence.js')).silenceCommand,
  'test-sink': async () => (await import('./test-sink.js')).testSinkCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
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
