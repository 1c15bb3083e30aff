/**
 * @module cli/explain — `asterwatch explain '<condition>'`: try a condition before deploying it.
 */
import { compileCondition, type CompiledCondition } from '../condition/index.js';
import { describeFor, type Mode } from '../modes/mode.js';
import { MODES } from '../modes/registry.js';
import { booleanFlag, numberFlag, parseCommandArgs, stringFlag } from './args.js';
import type { CommandIO } from './io.js';
import { UsageError } from './usage-error.js';

const MODE_NAMES = MODES.names().join('|');
/** Flags some modes take (e.g. --window for liquidations), with the modes that take them. */
const MODE_FLAGS = new Map<string, { help: string; modes: string[] }>();
for (const mode of MODES.all()) {
  for (const [flag, help] of Object.entries(mode.explainFlags ?? {})) {
    const entry = MODE_FLAGS.get(flag) ?? { help, modes: [] };
    entry.modes.push(mode.name);
    MODE_FLAGS.set(flag, entry);
  }
}
const MODE_FLAG_HELP = [...MODE_FLAGS]
  .map(([flag, { help, modes }]) => `  --${flag} ${flag.toUpperCase()}`.padEnd(21) + ' ' + `${modes.join(', ')}: ${help}`)
  .join('\n');

export const EXPLAIN_HELP = `Usage: asterwatch explain '<condition>' [--current N] [--previous N] [--mode ${MODE_NAMES}] [--armed true|false] [--rearm '<condition>'] ${[...MODE_FLAGS.keys()].map((flag) => `[--${flag} ${flag.toUpperCase()}]`).join(' ')} [--json]

Prints what a condition means; with --current (and --previous) also whether it is met,
whether it would fire, the edge state after the check, and the event's severity.

Options:
  --current N        the value at this check (price, portfolio value, or a measure: what the mode measures)
  --previous N       the value at the previous check or the 24 h baseline (omit: unknown)
  --mode MODE        ${MODES.names().join(', ')} (default market): changes the wording and the severity rule
  --armed BOOL       edge state before the check, for >> and << (default true)
  --rearm EXPR       a monitor's rearm condition (hysteresis): after firing, the once-condition
                     re-arms only when EXPR holds
${MODE_FLAG_HELP}
  --json             print one JSON object instead of text
  -h, --help         show this help

Exit status: 0 when the condition is valid, 1 on a syntax error (with a caret under the column)
or a condition the mode refuses (as validation would).`;

/** Runs `explain`; returns the exit code. */
export function explainCommand(argv: string[], io: CommandIO): number {
  const args = parseCommandArgs(
    'explain',
    argv,
    {
      current: { type: 'string' },
      previous: { type: 'string' },
      mode: { type: 'string' },
      armed: { type: 'string' },
      rearm: { type: 'string' },
      json: { type: 'boolean' },
      ...Object.fromEntries([...MODE_FLAGS.keys()].map((flag) => [flag, { type: 'string' as const }])),
    },
    true,
  );
  const { positionals } = args;
  if (booleanFlag(args, 'help')) {
    io.out(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`explain takes exactly one condition (quote it: asterwatch explain '>> 5%'), got ${positionals.length}`);
  const mode = parseMode(stringFlag(args, 'mode'));
  const armed = parseArmed(stringFlag(args, 'armed'));
  const current = numberFlag(args, 'current');
  const previous = numberFlag(args, 'previous') ?? null;
  if (current === undefined && previous !== null) throw new UsageError('--previous needs --current');

  const options: Record<string, string> = {};
  for (const [flag, { modes }] of MODE_FLAGS) {
    const value = stringFlag(args, flag);
    if (value === undefined) continue;
    if (!modes.includes(mode.name)) throw new UsageError(`--${flag} applies to --mode ${modes.join(' or ')}`);
    options[flag] = value;
  }

  const condition = compileCondition(positionals[0]!);
  let meaning: string;
  let refusal: string | null;
  try {
    meaning = describeFor(mode, condition, undefined, options);
    refusal = mode.refuseInExplain?.(condition, options) ?? null;
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const rearmText = stringFlag(args, 'rearm');
  const rearm = rearmText === undefined ? null : compileCondition(rearmText);
  if (refusal === null && rearm !== null) refusal = rearmRefusal(condition, rearm);
  if (refusal !== null) {
    io.err(`asterwatch explain: ${refusal}`);
    return 1;
  }
  if (rearm !== null) {
    const band = rearm.describe(mode.noun).replace(/^when /, '');
    meaning = `${meaning}; once fired, it re-arms only when ${band}, not merely when the condition stops holding (hysteresis)`;
  }
  const report: Record<string, unknown> = {
    condition: condition.source,
    meaning,
    kind: condition.kind,
    once: condition.once,
    needs_previous: condition.needsPrevious,
  };
  if (rearm !== null) report.rearm = { condition: rearm.source, meaning: rearm.describe(mode.noun) };
  if (current !== undefined) {
    const evaluation = { ...condition.evaluate({ current, previous, armed }) };
    report.input = { mode: mode.name, current, previous, armed, ...options };
    report.measured = condition.measure(current, previous);
    if (rearm !== null && !armed && evaluation.evaluable && evaluation.armed) {
      // As the lifecycle does: leaving the condition re-arms only when rearm holds.
      const holds = rearm.evaluate({ current, previous, armed: true }).met;
      (report.rearm as Record<string, unknown>).met = holds;
      evaluation.armed = holds;
    }
    report.evaluation = evaluation;
    report.severity = evaluation.met ? { ...condition.severity({ current, previous }, mode.severity) } : null;
  }
  io.out(booleanFlag(args, 'json') ? JSON.stringify(report) : renderText(report));
  return 0;
}

/** What validation says of a condition and its rearm (the same rules as buildAlertPolicy), or null. */
function rearmRefusal(condition: CompiledCondition, rearm: CompiledCondition): string | null {
  if (rearm.once) return `--rearm must be a plain condition such as "< 69000" (without >> or <<): it is tested at each check while the alert is disarmed`;
  if (!condition.once)
    return `--rearm applies to once-conditions (>> or <<); "${condition.source}" fires on every check it holds (use repeat_interval for a cooldown)`;
  return null;
}

function parseMode(raw: string | undefined): Mode {
  const mode = MODES.get(raw ?? 'market');
  if (mode !== undefined) return mode;
  const names = MODES.names();
  throw new UsageError(`--mode must be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}, got ${JSON.stringify(raw)}`);
}

function parseArmed(raw: string | undefined): boolean {
  if (raw === undefined || raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`--armed must be true or false, got ${JSON.stringify(raw)}`);
}

function renderText(report: Record<string, unknown>): string {
  const lines = [
    `condition:  ${String(report.condition)}`,
    `meaning:    ${String(report.meaning)}`,
    `measures:   ${String(report.kind)}${report.needs_previous ? ' (needs a previous value)' : ''}`,
  ];
  const rearm = report.rearm as { condition: string; meaning: string; met?: boolean } | undefined;
  if (rearm !== undefined)
    lines.push(`rearm:      ${rearm.condition} (${rearm.meaning})${rearm.met === undefined ? '' : `: ${rearm.met ? 'holds' : 'does not hold'}`}`);
  if (report.evaluation !== undefined) {
    const input = report.input as { mode: string; current: number; previous: number | null; armed: boolean };
    const evaluation = report.evaluation as { evaluable: boolean; met: boolean; fires: boolean; armed: boolean };
    const severity = report.severity as { value: number; label: string } | null;
    lines.push(`input:      ${input.mode}, current ${input.current}, previous ${input.previous ?? 'unknown'}, armed ${input.armed}`);
    lines.push(`measured:   ${report.measured === null ? 'not evaluable (no usable previous value)' : String(report.measured)}`);
    lines.push(`evaluation: evaluable ${evaluation.evaluable}, met ${evaluation.met}, fires ${evaluation.fires}, armed after ${evaluation.armed}`);
    lines.push(`severity:   ${severity === null ? 'none (not met)' : `${severity.value} ${severity.label}`}`);
  }
  return lines.join('\n');
}
