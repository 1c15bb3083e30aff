/**
 * @module config/aliases — how far YAML aliases may expand the configuration.
 *
 * An alias (`*name`) stands for the whole value its anchor (`&name`) marks. Aliases inside
 * aliased values multiply: 600 bytes can stand for hundreds of millions of values (a
 * "billion laughs"), an alias inside the value it refers to for an endless one, and a chain
 * of aliases for nesting deeper than any walk of the tree can follow. js-yaml shares an
 * aliased collection by reference, so all three are measured on its tree in one pass over
 * the values as written, expanding nothing. Only when one is found is the `yaml` Document,
 * which knows positions, walked to point at the alias to blame.
 */
import type * as Yaml from 'yaml';
import type { Alias } from 'yaml';
import { lazyModule } from '../lazy-module.js';
import type { ConfigProblem } from './errors.js';
import { formatPath, type SourceLocator } from './positions.js';

/** The position-keeping parser, loaded only when an alias is found. */
const yaml = lazyModule<typeof Yaml>('yaml');

/** What aliases may add to the values as written (a value is a scalar, a list or a mapping; keys are not counted). */
export const MAX_ALIASED_VALUES = 100_000;
/** How deep values may nest once aliases are expanded (js-yaml's own limit for values as written). */
export const MAX_EXPANDED_DEPTH = 100;

type Trouble = 'loop' | 'too-many' | 'too-deep';

/** A value's expanded size (values) and height (levels, a scalar being 1). */
interface Extent {
  size: number;
  height: number;
}

/**
 * Whether the tree js-yaml built has an alias problem. A collection met a second time is
 * an alias use (js-yaml builds a new object for every collection written), and its extent
 * is known from the first time, so the walk is linear in the values as written.
 */
export function hasAliasTrouble(tree: unknown): boolean {
  const extents = new Map<object, Extent>();
  const open = new Set<object>();
  let added = 0;
  let trouble = false;
  const walk = (value: unknown, depth: number): Extent => {
    if (value === null || typeof value !== 'object') return { size: 1, height: 1 };
    const known = extents.get(value);
    if (known !== undefined) {
      added += known.size;
      trouble ||= added > MAX_ALIASED_VALUES || depth + known.height > MAX_EXPANDED_DEPTH;
      return known;
    }
    if (open.has(value) || depth >= MAX_EXPANDED_DEPTH) {
      trouble = true;
      return { size: 1, height: 1 };
    }
    open.add(value);
    const extent = { size: 1, height: 1 };
    for (const child of Object.values(value)) {
      const inner = walk(child, depth + 1);
      extent.size += inner.size;
      extent.height = Math.max(extent.height, inner.height + 1);
      if (trouble) break;
    }
    open.delete(value);
    extents.set(value, extent);
    return extent;
  };
  walk(tree, 0);
  return trouble;
}

/**
 * The problem, at the first alias in document order that closes a loop, nests values too
 * deep, or takes what aliases add past the limit. Each alias is resolved to the last anchor
 * of its name before it, as YAML reads it, and the extent of every value is computed once,
 * when the walk leaves it.
 */
export function aliasProblem(locator: SourceLocator): ConfigProblem {
  const { doc, lineCounter } = locator.document();
  const { file } = locator;
  const anchors = new Map<string, unknown>();
  const extents = new Map<unknown, Extent>();
  const open = new Set<unknown>();
  let added = 0;
  // Assigned inside the walk; the cast keeps TypeScript from narrowing it to null here.
  let blamed = null as { alias: Alias; path: Array<string | number>; trouble: Trouble } | null;

  const walk = (node: unknown, path: Array<string | number>, depth: number): Extent => {
    if (yaml().isAlias(node)) {
      const target = anchors.get(node.source);
      const extent = extents.get(target) ?? { size: 1, height: 1 };
      added += extent.size;
      const trouble: Trouble | null = open.has(target)
        ? 'loop'
        : depth + extent.height > MAX_EXPANDED_DEPTH
          ? 'too-deep'
          : added > MAX_ALIASED_VALUES
            ? 'too-many'
            : null;
      if (trouble !== null) blamed ??= { alias: node, path, trouble };
      return extent;
    }
    const extent = { size: 1, height: 1 };
    if (yaml().isScalar(node) || yaml().isMap(node) || yaml().isSeq(node)) {
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
      open.add(node);
      const children = yaml().isMap(node)
        ? node.items.map((pair) => [yaml().isPair(pair) && yaml().isScalar(pair.key) ? String(pair.key.value) : String(pair.key), pair.value] as const)
        : yaml().isSeq(node)
          ? node.items.map((item, index) => [index, item] as const)
          : [];
      for (const [segment, child] of children) {
        if (blamed !== null) break;
        const inner = walk(child, [...path, segment], depth + 1);
        extent.size += inner.size;
        extent.height = Math.max(extent.height, inner.height + 1);
      }
      open.delete(node);
    }
    extents.set(node, extent);
    return extent;
  };
  walk(doc.contents, [], 0);

  if (blamed === null) {
    // js-yaml and the `yaml` library read aliases alike; this only keeps the report whole if they ever differ.
    return { file, line: 1, column: 1, path: '', message: tooMany('an alias') };
  }
  const { line, col } = lineCounter.linePos(blamed.alias.range?.[0] ?? 0);
  const name = `alias *${blamed.alias.source}`;
  const message =
    blamed.trouble === 'loop'
      ? `${name} refers to a value that contains it, so it would never end; point it at another anchor or write the value out`
      : blamed.trouble === 'too-deep'
        ? `${name} nests values more than ${MAX_EXPANDED_DEPTH} levels deep once expanded; use fewer nested aliases`
        : tooMany(name);
  return { file, line, column: col, path: formatPath(blamed.path), message };
}

function tooMany(what: string): string {
  return `${what} makes the configuration expand to more than ${MAX_ALIASED_VALUES.toLocaleString('en-US')} values (aliases inside aliased values multiply); write the values out, or use fewer nested aliases`;
}
