/**
 * @module cli/silence — `asterwatch silence add|list|remove`: mute a monitor (or one subject) for
 * a while. The running service reads silences from the state database within a second.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { resolveConfigPath, resolveStatePath } from '../service/service.js';
import { newSilence, parseSilenceDuration, SilenceInputError, silenceJson } from '../silences/new-silence.js';
import { openStore, type Silence } from '../store/index.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const SILENCE_HELP = `Usage: asterwatch silence add --monitor NAME [--subject S] --for DURATION [--comment TEXT]
       asterwatch silence list [--all] [--json]
       asterwatch silence remove ID

A silenced monitor's events are still recorded (with data.silenced: true, shown by the API and
the dashboard) but delivered to no sink. The running service sees a change within a second.

Options:
  -m, --monitor NAME   the monitor to silence (it must be in the configuration)
      --subject S      only this subject (BTC, portfolio, BTCUSDT:LONG); default every subject
      --for DURATION   how long: 30m, 4h, 1d, 1h30m (at most 90 days)
      --comment TEXT   why (shown by list, the API and the dashboard)
      --all            list: also the silences that ended (kept a week)
      --json           list: one JSON object
  -c, --config FILE    monitors file (default: $ASTERWATCH_CONFIG or ./monitors.yaml)
  -s, --state PATH     state database (default: $ASTERWATCH_STATE or ./.asterwatch/state.db)
  -h, --help           show this help

Exit status: 0 on success, 1 for a usage mistake, an unknown monitor or an unknown silence id.`;

export async function silenceCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs(
    'silence',
    argv,
    {
      monitor: { type: 'string', short: 'm' },
      subject: { type: 'string' },
      for: { type: 'string' },
      comment: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      state: { type: 'string', short: 's' },
    },
    true,
  );
  if (booleanFlag(args, 'help')) {
    io.out(SILENCE_HELP);
    return 0;
  }
  const [action, ...rest] = args.positionals;
  if (action !== 'add' && action !== 'list' && action !== 'remove')
    throw new UsageError(
      `silence: say what to do: add, list or remove (got ${action === undefined ? 'nothing' : JSON.stringify(action)}); see asterwatch silence --help`,
    );
  if (action !== 'remove' && rest.length > 0) throw new UsageError(`silence ${action}: unexpected ${JSON.stringify(rest.join(' '))}`);
  const path = resolveStatePath(stringFlag(args, 'state'));

  if (action === 'add') {
    const monitor = stringFlag(args, 'monitor');
    const duration = stringFlag(args, 'for');
    if (monitor === undefined || duration === undefined) throw new UsageError('silence add needs --monitor NAME and --for DURATION (e.g. --for 4h)');
    const config = loadConfig(resolveConfigPath(stringFlag(args, 'config')));
    const now = Date.now();
    let silence: Silence;
    try {
      silence = newSilence(
        {
          monitor,
          subject: stringFlag(args, 'subject') ?? null,
          durationMs: parseSilenceDuration(duration, '--for'),
          comment: stringFlag(args, 'comment') ?? null,
          createdBy: 'cli',
        },
        config.monitors.map((m) => m.name),
        now,
      );
    } catch (error) {
      if (error instanceof SilenceInputError) throw new UsageError(`silence add: ${error.message}`);
      throw error;
    }
    const store = openStore(path);
    try {
      await store.silences.add(silence);
    } finally {
      await store.close();
    }
    io.out(`silenced ${describe(silence)} until ${new Date(silence.endsAt).toISOString()} (id ${silence.id})`);
    return 0;
  }

  // Reading or removing never creates a database (a mistyped --state would look empty); adding
  // creates it where the service will read it, as `run` would.
  if (!existsSync(path)) {
    if (action === 'list') {
      io.out(booleanFlag(args, 'json') ? JSON.stringify({ silences: [] }) : 'no silence in effect');
      return 0;
    }
    throw new UsageError(
      `silence remove: no state database at ${path}, so no silence ${JSON.stringify(rest[0] ?? '')}; pass --state PATH (or set ASTERWATCH_STATE)`,
    );
  }
  const store = openStore(path);
  try {
    const now = Date.now();
    if (action === 'remove') {
      if (rest.length !== 1) throw new UsageError('silence remove takes one silence id (see asterwatch silence list)');
      const id = rest[0]!;
      if (!(await store.silences.remove(id)))
        throw new UsageError(`silence remove: no silence with id ${JSON.stringify(id)} (see asterwatch silence list --all)`);
      io.out(`removed silence ${id}`);
      return 0;
    }
    const silences = await store.silences.list(now, { includeExpired: booleanFlag(args, 'all') });
    if (booleanFlag(args, 'json')) {
      io.out(JSON.stringify({ silences: silences.map((s) => silenceJson(s, now)) }));
      return 0;
    }
    if (silences.length === 0) {
      io.out('no silence in effect');
      return 0;
    }
    for (const s of silences) {
      const state = now < s.endsAt ? `until ${new Date(s.endsAt).toISOString()}` : `ended ${new Date(s.endsAt).toISOString()}`;
      io.out(`${s.id}  ${describe(s)}  ${state}  by ${s.createdBy}${s.comment === null ? '' : `  "${s.comment}"`}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

function describe(s: Silence): string {
  return s.subject === null ? `monitor ${s.monitor}` : `${s.monitor} / ${s.subject}`;
}
