/**
 * @module config/env — `${VAR}` in configuration values, read from the environment and `.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` from `dir` into process.env without overriding variables that are
 * already set (the real environment wins, as with most dotenv tools).
 */
export function loadDotEnv(dir: string): void {
  const file = `${dir}/.env`;
  if (!existsSync(file)) return;
  const values = parseEnv(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces every `${VAR}` in `text`; unset variables are returned, not replaced. */
export function expandVariables(text: string, env: NodeJS.ProcessEnv): { value: string; unset: string[] } {
  const unset: string[] = [];
  const value = text.replace(REFERENCE, (whole, name: string) => {
    const found = env[name];
    if (found === undefined) {
      unset.push(name);
      return whole;
    }
    return found;
  });
  return { value, unset };
}
