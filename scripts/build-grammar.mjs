// Compiles grammar/condition.peggy into src/condition/parser.generated.js (+ .d.ts).
// The generated files are never edited or committed; every build regenerates them,
// so they cannot drift from the grammar.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const peggyBin = join(dirname(require.resolve('peggy/package.json')), 'bin', 'peggy.js');
execFileSync(
  process.execPath,
  [
    peggyBin,
    '--format',
    'es',
    '--dts',
    '--allowed-start-rules',
    'Condition',
    '-o',
    join(root, 'src/condition/parser.generated.js'),
    join(root, 'grammar/condition.peggy'),
  ],
  { stdio: 'inherit' },
);
