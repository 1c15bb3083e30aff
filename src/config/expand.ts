/**
 * @module config/expand — `${VAR}` expanded across the whole tree js-yaml read.
 */
import type { ConfigProblem } from './errors.js';
import { expandVariables } from './env.js';
import type { SourceContext } from './load.js';

/**
 * A string that holds its own characters. js-yaml returns scalars as slices of its copy of the
 * whole file, and V8 keeps a slice of 13 characters or more as a view of its parent: one kept
 * monitor name kept the whole text alive for the configuration's life (~100 bytes a monitor).
 * Concatenating flattens into a new string; slicing that shares only it.
 */
function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * A copy of `tree` with every `${VAR}` in its strings expanded (each a string of its own, see
 * `detached`); unset variables are
 * reported. A collection that aliases share (one object in js-yaml's tree) is expanded
 * once and shared again in the copy, so the work and the copy stay the size of the file
 * as written, and a problem inside it is reported once, where it is first written. The
 * tree must have passed `hasAliasTrouble` (no loops, bounded depth).
 */
export function expandTree(tree: unknown, env: NodeJS.ProcessEnv, source: SourceContext, problems: ConfigProblem[]): unknown {
  const copies = new Map<object, unknown>();
  const expand = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === 'string') {
      const { value: expanded, unset } = expandVariables(value, env);
      for (const name of unset)
        problems.push(source.problem(path, `environment variable ${name} is not set; set it in the environment or in .env (see .env.example)`));
      return detached(expanded);
    }
    if (value === null || typeof value !== 'object') return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    const copy = Array.isArray(value)
      ? value.map((item, i) => expand(item, [...path, i]))
      : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expand(item, [...path, key])]));
    copies.set(value, copy);
    return copy;
  };
  return expand(tree, []);
}
