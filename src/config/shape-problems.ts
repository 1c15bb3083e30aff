/**
 * @module config/shape-problems — zod issues as positioned problems a user can act on.
 */
import type { z } from 'zod';
import type { ModeRegistry } from '../modes/registry.js';
import type { ConfigProblem } from './errors.js';
import type { ConditionIssueParams } from './fields.js';
import { knownFieldsAt } from './known-fields.js';
import type { SourceContext } from './load.js';
import { closest } from './suggest.js';

/**
 * One zod issue → problems. `prefix` is where the validated value sits in the file
 * (a monitor is validated on its own), `value` and `schema` are that value and its schema.
 */
export function shapeProblems(
  issue: z.core.$ZodIssue,
  prefix: ReadonlyArray<string | number>,
  value: unknown,
  schema: z.ZodType,
  source: SourceContext,
  modes: ModeRegistry,
): ConfigProblem[] {
  const local = issue.path as Array<string | number>;
  const path = [...prefix, ...local];
  if (issue.code === 'unrecognized_keys') {
    const known = knownFieldsAt(schema, value, local);
    const isMonitor = prefix.length === 2 && prefix[0] === 'monitors' && local.length === 0;
    return issue.keys.map((key) => {
      const owners = isMonitor
        ? modes
            .all()
            .filter((mode) => Object.hasOwn(mode.fields, key))
            .map((mode) => mode.name)
        : [];
      if (owners.length > 0) {
        return source.problem([...path, key], `${key} is only for ${owners.join(' and ')} monitors; remove it or set monitoring_mode: ${owners[0]}`, {
          at: 'key',
        });
      }
      const suggestion = closest(key, known);
      const hint = suggestion === undefined ? `known fields: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
      return source.problem([...path, key], `unknown field "${key}"; ${hint}`, { at: 'key' });
    });
  }
  if (valueAt(value, local) === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    const field = path[path.length - 1];
    const hint = issue.code === 'invalid_union' ? ` (${issue.message.replace(/^must be /, '')})` : '';
    return [source.problem(path.slice(0, -1), `${String(field)} is required${hint}`)];
  }
  if (issue.code === 'custom' && issue.params !== undefined && 'columnInValue' in issue.params) {
    const params = issue.params as unknown as ConditionIssueParams;
    return [source.problem(path, issue.message, { detail: params.detail, columnInValue: params.columnInValue })];
  }
  return [source.problem(path, issue.message)];
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
