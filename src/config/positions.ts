/**
 * @module config/positions — from a YAML path to a line and column in the file.
 */
import type * as Yaml from 'yaml';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Document, LineCounter, Node } from 'yaml';
import { lazyModule } from '../lazy-module.js';

/** The position-keeping parser, loaded only when a problem or warning needs a line and column. */
const yaml = lazyModule<typeof Yaml>('yaml');

export type YamlPath = ReadonlyArray<string | number>;

/** `monitors[1].monitored_assets[0].condition`. */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

export interface Position {
  line: number;
  column: number;
  /** Offset of the value's first character of content (inside quotes for quoted scalars). */
  contentOffset: number;
  /** True when the path was found exactly; false when this is the closest enclosing node. */
  exact: boolean;
}

/** Where `path` is: its value, or with `at: 'key'` its key (for unknown fields). */
export function positionOf(doc: Document, lineCounter: LineCounter, path: YamlPath, at: 'value' | 'key' = 'value'): Position {
  let node: unknown = doc.contents;
  let found: { range: [number, number, number] | null | undefined; node: unknown } = { range: rangeOf(node), node };
  let exact = true;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    let next: unknown;
    if (yaml().isMap(node)) {
      const pair = node.items.find((item) => yaml().isPair(item) && yaml().isScalar(item.key) && item.key.value === segment);
      if (pair !== undefined && i === path.length - 1 && at === 'key') {
        next = pair.key;
      } else {
        next = pair?.value ?? (pair === undefined ? undefined : pair.key);
      }
    } else if (yaml().isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null || rangeOf(next) === undefined) {
      exact = false;
      break;
    }
    node = next;
    found = { range: rangeOf(next), node: next };
  }
  const offset = found.range?.[0] ?? 0;
  const quoted = yaml().isScalar(found.node) && (found.node.type === 'QUOTE_DOUBLE' || found.node.type === 'QUOTE_SINGLE');
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col, contentOffset: quoted ? offset + 1 : offset, exact };
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ?? undefined;
}

/** Texts from this size on are kept deflated (a 1,000,000-monitor file is ~100 MB of text). */
export const PACK_TEXT_FROM = 64 * 1024;

/**
 * Positions in one file, computed on demand. The `yaml` Document that knows node
 * ranges costs several times the memory and time of a plain parse, so it is built
 * only when something needs a line and column: a problem or a warning to print.
 *
 * Every monitor keeps references into its file for its life, so the locator lives as long
 * as the configuration. What it holds is kept small (issue 16): a large text is kept
 * deflated and inflated when a position is first needed, and the Document is held weakly —
 * kept through the burst of positions a load or a report asks for, then left to the
 * collector (a configuration with one warning held its whole Document for good before).
 */
export class SourceLocator {
  private parsed: WeakRef<{ doc: Document; lineCounter: LineCounter }> | null = null;
  /** The text, or null while it is only kept deflated (`packed`). */
  private plain: string | null;
  private readonly packed: Buffer | null;

  constructor(
    readonly file: string,
    text: string,
    packFrom = PACK_TEXT_FROM,
  ) {
    // A text that is not well-formed UTF-16 (lone surrogates: never read from a file, but
    // parseConfig takes any string) would not come back the same from UTF-8: kept as it is.
    const pack = text.length >= packFrom && (text as { isWellFormed?: () => boolean }).isWellFormed?.() !== false;
    this.packed = pack ? deflateRawSync(text, { level: 1 }) : null;
    this.plain = pack ? null : text;
  }

  /** The file's text as it was read. */
  get text(): string {
    return this.plain ?? inflateRawSync(this.packed!).toString('utf8');
  }

  /** The position-bearing document (parsed on first use, and again if the collector took it). */
  document(): { doc: Document; lineCounter: LineCounter } {
    let parsed = this.parsed?.deref();
    if (parsed === undefined) {
      const lineCounter = new (yaml().LineCounter)();
      // No duplicate-key check here: js-yaml has already made one (in linear time; this one is quadratic).
      const doc = yaml().parseDocument(this.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
      parsed = { doc, lineCounter };
      this.parsed = new WeakRef(parsed);
    }
    return parsed;
  }

  locate(path: YamlPath, at: 'value' | 'key' = 'value'): Position {
    const { doc, lineCounter } = this.document();
    return positionOf(doc, lineCounter, path, at);
  }

  /** The line and column of a 1-based column inside a scalar value (a condition's caret). */
  locateInValue(path: YamlPath, columnInValue: number): { line: number; column: number } {
    const position = this.locate(path);
    const { lineCounter } = this.document();
    const at = lineCounter.linePos(position.contentOffset + columnInValue - 1);
    return { line: at.line, column: at.col };
  }

  /** A reference whose line and column are resolved only when read. */
  ref(path: YamlPath): LazySourceRef {
    // Most references are inside a monitor (`monitors[i]...`): they keep the index and a tail
    // shared by every monitor (`name`, `monitored_assets[0].asset`), not a path of their own.
    const index = path[1];
    if (path[0] === 'monitors' && typeof index === 'number' && Number.isInteger(index) && index >= 0) return new LazySourceRef(this, index, this.tail(path));
    return new LazySourceRef(this, -1, path.slice());
  }

  /** `ref` for `monitors[monitor]` then `tail` (see SourceRefs). */
  under(monitor: number, tail: YamlPath): LazySourceRef {
    return this.ref(['monitors', monitor, ...tail]);
  }

  /** Tails by their segments: a few distinct ones, whatever the number of monitors. */
  private readonly tails = new Map<string, YamlPath>();
  private tail(path: YamlPath): YamlPath {
    const rest = path.slice(2);
    const key = JSON.stringify(rest); // unambiguous: ['a.b'] and ['a', 'b'], 1 and '1' stay apart
    let tail = this.tails.get(key);
    if (tail === undefined) this.tails.set(key, (tail = Object.freeze(rest)));
    return tail;
  }
}

/** Where a value was written; line and column are computed on first read. */
export class LazySourceRef {
  private position: Position | null = null;

  constructor(
    private readonly locator: SourceLocator,
    /** The monitor the path is under (`monitors[monitor]` then `tail`), or -1 when `tail` is the whole path. */
    private readonly monitor: number,
    private readonly tail: YamlPath,
  ) {}

  get file(): string {
    return this.locator.file;
  }

  /** Formatted when read: every monitor holds references, and few are ever printed. */
  get path(): string {
    return formatPath(this.yamlPath());
  }

  get line(): number {
    return this.resolve().line;
  }

  get column(): number {
    return this.resolve().column;
  }

  private yamlPath(): YamlPath {
    return this.monitor < 0 ? this.tail : ['monitors', this.monitor, ...this.tail];
  }

  private resolve(): Position {
    this.position ??= this.locator.locate(this.yamlPath());
    return this.position;
  }
}
