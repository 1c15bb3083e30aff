/**
 * @module config/syntax-problems — a YAML syntax error, at its line and column.
 *
 * js-yaml, which reads the file, decides what the error is and where: only its first
 * error is reported, because after it any parser's reading of the rest is a guess (one
 * tab used as indentation makes the `yaml` library list six more errors on lines that
 * are fine). Where the `yaml` library reports an error at the same place, its wording is
 * used instead, as it is usually clearer ("Flow sequence … must … end with a ]" rather
 * than "missed comma between flow collection entries").
 */
import type { YAMLException } from 'js-yaml';
import { MAX_EXPANDED_DEPTH } from './aliases.js';
import type { ConfigProblem } from './errors.js';
import type { SourceLocator } from './positions.js';

export function syntaxProblem(locator: SourceLocator, error: YAMLException): ConfigProblem {
  const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
  const line = (mark?.line ?? 0) + 1;
  const column = (mark?.column ?? 0) + 1;
  const { doc, lineCounter } = locator.document();
  const same = doc.errors.find((e) => {
    const at = lineCounter.linePos(e.pos[0]);
    // RESOURCE_EXHAUSTION is the library's own stack overflow, worded by the engine.
    return e.code !== 'RESOURCE_EXHAUSTION' && at.line === line && at.col === column;
  });
  // js-yaml stops at this depth (its default `maxDepth`), the limit aliases are held to as well.
  const reason = /^nesting exceeded maxDepth/.test(error.reason) ? `values are nested more than ${MAX_EXPANDED_DEPTH} levels deep` : error.reason;
  const message = same === undefined ? reason : same.message.split('\n')[0]!;
  return { file: locator.file, line, column, path: '', message: `YAML syntax: ${message}` };
}
