/**
 * @module config/env — `${VAR}` in configuration values, read from the environment and `.env`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigFileError } from './errors.js';

/** A .env file is a few lines; anything bigger is not one. */
const MAX_DOTENV_BYTES = 256 * 1024;

/**
 * Loads `.env` from `dir` into process.env without overriding variables that are
 * already set (the real environment wins, as with most dotenv tools).
 */
export function loadDotEnv(dir: string): void {
  const file = `${dir}/.env`;
  if (!existsSync(file)) return;
  if (statSync(file).size > MAX_DOTENV_BYTES)
    throw new ConfigFileError(file, `is larger than ${MAX_DOTENV_BYTES / 1024} KiB; a .env file holds a few variables (see .env.example)`);
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
