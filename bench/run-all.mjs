// `npm run bench`: every benchmark in bench/, one after the other, each in its own process
// so one's heap and JIT state do not colour the next.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs' && !f.startsWith('_') && (!only || f.includes(only)))
  .sort();
for (const script of scripts) {
  execFileSync(process.execPath, ['--expose-gc', join(here, script)], { stdio: 'inherit' });
  console.log('');
}
