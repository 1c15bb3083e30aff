/**
 * A "billion laughs" monitors.yaml (aliases of aliases, ~600 bytes that expand to hundreds of
 * millions of values) given to the real CLI: every command that reads the configuration stops
 * at once with the alias's position, instead of hanging while memory grows past gigabytes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function billionLaughs(): string {
  const levels = ['      a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 9; level++)
    levels.push(
      `      a${level}: &a${level} [${Array(9)
        .fill(`*a${level - 1}`)
        .join(',')}]`,
    );
  return `monitors:\n  - name: demo\n    monitoring_mode: portfolio\n    mock_account_data:\n${levels.join('\n')}\n`;
}

let dir: string;
let config: string;
// Nothing may reach an exchange: the port is closed, and the configuration never gets that far.
const env = { ASTER_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-laughs-'));
  config = join(dir, 'monitors.yaml');
  writeFileSync(config, billionLaughs());
});

describe('a billion-laughs monitors.yaml', () => {
  it.each([
    ['validate', ['validate', '--offline']],
    ['check', ['check', '--state', 'STATE']],
    ['run', ['run', '--state', 'STATE']],
  ])('makes %s exit 1 at the alias, without hanging', async (_name, args) => {
    const argv = [...args.map((arg) => (arg === 'STATE' ? join(dir, 'state.db') : arg)), '--config', config];
    const result = await runCli(argv, { env, timeoutMs: 5_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${config}:10:16: monitors[0].mock_account_data.a5[0]: alias *a4 makes the configuration expand to more than 100,000 values (aliases inside aliased values multiply); write the values out, or use fewer nested aliases\n` +
        '1 configuration error; nothing was started.\n',
    );
    expect(result.stdout).toBe('');
  });
});
