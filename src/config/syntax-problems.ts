/**
 * @module config/syntax-problems — a YAML syntax error, at its line and column.
 *
 * Only the first error is reported: after it, a parser's reading of the rest is a guess
 * (one tab used as indentation makes the `yaml` library list six more errors on lines
 * that are fine). Both parsers are asked, as each catches what the other words better or
 * misses: the `yaml` library words most errors better ("… must end with a ]"); js-yaml
 * finds duplicate keys, which the `yaml` Document is not asked to find (its check is
 * quadratic in a mapping's size).
 */
import type { YAMLException } from 'js-yaml';
import { MAX_EXPANDED_DEPTH } from './aliases.js';
import type { ConfigProblem } from './errors.js';
import type { SourceLocator } from './positions.js';

/** js-yaml stops at this depth (its default `maxDepth`), the same limit aliases are held to. */
const NESTED_TOO_DEEP = `values are nested more than ${MAX_EXPANDED_DEPTH} levels deep`;

interface Located {
  line: number;
  column: number;
  message: string;
}

export function syntaxProblem(locator: SourceLocator, error: YAMLException): ConfigProblem {
  const { doc, lineCounter } = locator.document();
  const fromYaml: Located[] = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    // The library catches its own stack overflow on deep nesting and reports the engine's words.
    const message = e.code === 'RESOURCE_EXHAUSTION' ? NESTED_TOO_DEEP : e.message.split('\n')[0]!;
    return { line, column: col, message };
  });
  const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
  const fromJsYaml: Located = {
    line: (mark?.line ?? 0) + 1,
    column: (mark?.column ?? 0) + 1,
    message: /^nesting exceeded maxDepth/.test(error.reason) ? NESTED_TOO_DEEP : error.reason,
  };
  const first = [...fromYaml, fromJsYaml].reduce((a, b) => (b.line < a.line || (b.line === a.line && b.column < a.column) ? b : a));
  return { file: locator.file, line: first.line, column: first.column, path: '', message: `YAML syntax: ${first.message}` };
}
