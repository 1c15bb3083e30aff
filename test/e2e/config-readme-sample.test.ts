/**
 * The README's sample of `validate` output (section "Configuration") is what `validate`
 * prints for a real file with exactly those mistakes: the block is read from README.md,
 * so the two cannot drift apart.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The ```text block of the README that starts with `firstLine`. */
function readmeBlock(firstLine: string): string {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/^```text\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  const block = blocks.find((text) => text.startsWith(firstLine));
  if (block === undefined) throw new Error(`README.md has no text block starting with ${firstLine}`);
  return block;
}

// monitors[0] is written as a flow mapping broken over lines, which puts its condition's
// "x" at line 5, column 40, where the README shows it; the others are written as usual.
const MISTAKES = `monitors:
  - { name: majors,
    monitoring_mode: market,
    check_intervall: 300, monitored_assets:
      [ { asset: BTC, condition: ">> ++x" } ] }
  - name: minors
    monitoring_mode: market
    monitored_assets: [{ asset: ETH, condition: "> 1" }]
    check_interval: 30
  - name: demo
    monitoring_mode: portfolio
    mock_account_data: '{"balances":[{"asset":"BTC","free":"1"}]}'
  - name: treasury
    monitoring_mode: portfolio
    api_key: \${ASTER_API_KEY}
    api_secret: \${ASTER_API_SECRET}
`;

describe("the README's sample of validate output", () => {
  it('is what validate prints for a file with those mistakes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asterwatch-readme-'));
    writeFileSync(join(dir, 'monitors.yaml'), MISTAKES);
    // ASTER_API_KEY is unset (the test helper clears ASTER* variables); the secret is set, so it is not a mistake.
    const result = await runCli(['validate', '--offline'], { cwd: dir, env: { ASTER_API_SECRET: 'not-a-real-secret' }, timeoutMs: 10_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(readmeBlock('monitors.yaml:4:5: monitors[0].check_intervall'));
  });
});
