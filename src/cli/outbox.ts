/**
 * @module cli/outbox — `asterwatch outbox [retry]`: pending and dead events per sink.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../store/index.js';
import { resolveStatePath } from '../service/service.js';
import { booleanFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

export const OUTBOX_HELP = `Usage: asterwatch outbox [--state PATH] [--json]
       asterwatch outbox retry [--sink NAME] [--state PATH]

Shows, per sink, the events waiting for delivery (pending), given up on (dead) and
delivered (done), with the last error of each dead event. 'retry' moves dead events
back to pending; the running service (or the next 'run'/'check') delivers them.

Options:
  -s, --state PATH   state database (default: $ASTERWATCH_STATE or ./.asterwatch/state.db)
      --sink NAME    with retry: only this sink
      --json         print JSON instead of a table
  -h, --help         show this help`;

export async function outboxCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs('outbox', argv, { state: { type: 'string', short: 's' }, sink: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (booleanFlag(args, 'help')) {
    io.out(OUTBOX_HELP);
    return 0;
  }
  const [action, ...extra] = args.positionals;
  if (extra.length > 0 || (action !== undefined && action !== 'retry'))
    throw new UsageError(`outbox: unknown action ${JSON.stringify(args.positionals.join(' '))}; use 'asterwatch outbox' or 'asterwatch outbox retry'`);
  const path = resolveStatePath(stringFlag(args, 'state'));
  // Reading the outbox must not create a state database (a mistyped --state would look empty).
  if (!existsSync(path)) throw new UsageError(`outbox: no state database at ${path}; pass --state PATH (or set ASTERWATCH_STATE) to the service's database`);
  const store = openStore(path);
  try {
    if (action === 'retry') {
      const sink = stringFlag(args, 'sink');
      if (sink !== undefined) {
        const known = (await store.outbox.summary()).map((row) => row.sink);
        if (!known.includes(sink))
          throw new UsageError(`outbox retry: sink "${sink}" has no deliveries; sinks with deliveries: ${known.length === 0 ? 'none' : known.join(', ')}`);
      }
      const now = Date.now();
      const moved = await store.outbox.retryDead(now, sink);
      // A sink waiting out a long backoff is retried at once too (the running service picks it up within 30 s).
      const rescheduled = await store.outbox.retryPendingNow(now, sink);
      io.out(`${moved} dead deliver${moved === 1 ? 'y' : 'ies'}${sink === undefined ? '' : ` of sink ${sink}`} moved back to pending`);
      if (rescheduled > 0) io.out(`${rescheduled} waiting deliver${rescheduled === 1 ? 'y' : 'ies'} made due now`);
      return 0;
    }
    const summary = await store.outbox.summary();
    const dead = await store.outbox.dead(50);
    if (booleanFlag(args, 'json')) {
      io.out(JSON.stringify({ sinks: summary, dead }));
      return 0;
    }
    if (summary.length === 0) {
      io.out('the outbox is empty: no event has been raised yet');
      return 0;
    }
    io.out(`${'sink'.padEnd(16)} ${'pending'.padStart(8)} ${'dead'.padStart(8)} ${'done'.padStart(8)}  oldest pending`);
    for (const row of summary) {
      const oldest = row.oldestPendingAt === null ? '-' : new Date(row.oldestPendingAt).toISOString();
      io.out(`${row.sink.padEnd(16)} ${String(row.pending).padStart(8)} ${String(row.dead).padStart(8)} ${String(row.done).padStart(8)}  ${oldest}`);
    }
    if (dead.length > 0) {
      io.out('\ndead (newest first; replay with: asterwatch outbox retry):');
      for (const d of dead) io.out(`  ${d.sink}  ${d.id}  after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${d.lastError ?? 'unknown error'}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
