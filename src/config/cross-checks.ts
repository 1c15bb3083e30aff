/**
 * @module config/cross-checks — what no single monitor shows: duplicate names, unknown sinks.
 *
 * Run on the raw monitors, whatever their shape, so these are reported with the rest.
 */
import type { ConfigProblem } from './errors.js';
import type { SourceContext } from './load.js';
import { monitorNameProblems } from './monitor-name.js';

export function crossMonitorProblems(monitors: readonly unknown[], sinks: ReadonlySet<string>, source: SourceContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstByName = new Map<string, number>();
  monitors.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object') return;
    const monitor = raw as Record<string, unknown>;
    const name = typeof monitor.name === 'string' ? monitor.name.trim() : undefined;
    // A name breaking the name rules is reported there, and is not echoed here (it may be huge or unprintable).
    if (name !== undefined && name !== '' && monitorNameProblems(name).length === 0) {
      const first = firstByName.get(name);
      if (first !== undefined) {
        const line = source.locator.locate(['monitors', first, 'name']).line;
        problems.push(
          source.problem(
            ['monitors', index, 'name'],
            `duplicate monitor name "${name}" (first used by monitors[${first}], line ${line}); names must be unique`,
          ),
        );
      } else {
        firstByName.set(name, index);
      }
    }
    const notify = Array.isArray(monitor.notify) ? (monitor.notify as unknown[]) : [];
    notify.forEach((sink, i) => {
      if (typeof sink !== 'string') return;
      if (notify.indexOf(sink) !== i) {
        problems.push(source.problem(['monitors', index, 'notify', i], `sink "${sink}" is listed twice; each sink gets each event once`));
      } else if (!sinks.has(sink)) {
        problems.push(source.problem(['monitors', index, 'notify', i], `unknown sink "${sink}"; declare it under sinks: (known: ${[...sinks].join(', ')})`));
      }
    });
  });
  return problems;
}
