// Figure for issue 2: evaluations per second of a compiled condition, and compile time.
// Runs on the built package (npm run bench builds first). One core: no workers.
import { compileCondition } from '../dist/index.js';

const CONDITIONS = ['>> ++25%', '> 5%', '< -15%', '> 50000', '<< --50000'];
const EVALUATIONS = 50_000_000;

function evaluationsPerSecond(source) {
  const condition = compileCondition(source);
  // Vary inputs so the JIT cannot fold the call away; keep them in a small ring.
  const inputs = Array.from({ length: 1024 }, (_, i) => ({ current: 1000 + (i % 400), previous: 1000, armed: (i & 1) === 0 }));
  let fired = 0;
  for (let i = 0; i < 1_000_000; i++) fired += condition.evaluate(inputs[i & 1023]).fires ? 1 : 0; // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVALUATIONS; i++) fired += condition.evaluate(inputs[i & 1023]).fires ? 1 : 0;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rate: EVALUATIONS / seconds, fired };
}

function compileMicroseconds() {
  const sources = Array.from(
    { length: 20_000 },
    (_, i) => `${['>>', '<', '>=', '!='][i % 4]} ${['++', '--', '+', '-', ''][i % 5]}${i}.${i % 97}${i % 3 === 0 ? '%' : ''}`,
  );
  for (const s of sources.slice(0, 2000)) compileCondition(s);
  const start = process.hrtime.bigint();
  for (const s of sources) compileCondition(s);
  return Number(process.hrtime.bigint() - start) / 1e3 / sources.length;
}

console.log('## condition engine (one core)');
for (const source of CONDITIONS) {
  const { rate } = evaluationsPerSecond(source);
  console.log(`evaluate ${JSON.stringify(source).padEnd(14)} ${(rate / 1e6).toFixed(1)} M evaluations/s`);
}
console.log(`compile  ${compileMicroseconds().toFixed(2)} µs per expression (parse + compile)`);
