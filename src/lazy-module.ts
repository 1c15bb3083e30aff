/**
 * @module lazy-module — a CommonJS dependency loaded on first use, synchronously.
 *
 * Why: a service that never meets a YAML alias or a configuration problem, never runs on a
 * terminal, has no cron schedule and no liquidation feed should not carry the libraries for
 * those (about 10 MB resident together). `import()` would make their callers asynchronous;
 * these libraries ship CommonJS, so `require` loads them synchronously where they are needed.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function that loads `specifier` the first time it is called and returns the module. */
export function lazyModule<T>(specifier: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(specifier) as T);
}
