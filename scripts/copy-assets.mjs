// Copies the non-TypeScript files the compiled program needs into dist/:
// the generated parser and the dashboard's static files.
import { cpSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assets = [
  ['src/condition/parser.generated.js', 'dist/condition/parser.generated.js'],
  ['src/condition/parser.generated.d.ts', 'dist/condition/parser.generated.d.ts'],
  ['src/http/dashboard/static', 'dist/http/dashboard/static'],
];
for (const [from, to] of assets) {
  if (existsSync(join(root, from))) cpSync(join(root, from), join(root, to), { recursive: true });
}
if (existsSync(join(root, 'dist/cli/main.js'))) chmodSync(join(root, 'dist/cli/main.js'), 0o755);
