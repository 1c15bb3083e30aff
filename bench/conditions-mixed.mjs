// Figure for issue 16: ten different conditions evaluated in turn from one call site, as a
// round does (each monitor its own condition), through the public API — beside a naive
// evaluator that parses the expression with a regular expression at every check. Target:
// >= 50 M evaluations/s, and >= 10x the naive one. One core.
import { compileCondition } from '../dist/index.js';

const SOURCES = ['>> ++25%', '> 5%', '< -15%', '> 50000', '<< --50000', '>= 1k', '!= 0', '<= --2%', '>> 1050', '< 1200'];
const RING = 1024;
const inputs = Array.from({ length: RING }, (_, i) => ({ current: 1000 + (i % 400), previous: i % 7 === 0 ? null : 1000, armed: (i & 1) === 0 }));
const currents = Float64Array.from(inputs, (x) => x.current);
const previous = inputs.map((x) => x.previous);
const armed = inputs.map((x) => x.armed);

// The naive evaluator: what a first version written with regular expressions does per check.
const PATTERN = /^\s*(>>|<<|>=|<=|==|!=|>|<|=)\s*(\+\+|--|\+|-)?(\d+(?:\.\d+)?)([kKMB])?(%)?\s*$/;
const SUFFIX = { k: 1e3, K: 1e3, M: 1e6, B: 1e9 };
function naive(source, current, prev, isArmed) {
  const [, op, sign, digits, suffix, percent] = PATTERN.exec(source);
  const n = Number(digits) * (suffix ? SUFFIX[suffix] : 1);
  let x;
  if (sign === '++' || sign === '--') {
    if (prev === null || (percent && prev === 0)) return false;
    const d = sign === '++' ? current - prev : prev - current;
    x = percent ? (d * 100) / prev : d;
  } else if (percent) {
    if (prev === null || prev === 0) return false;
    x = ((current - prev) * 100) / prev;
  } else x = current;
  if (sign === undefined) x = Math.abs(x);
  const t = sign === '-' ? -n : n;
  const met = { '>': x > t, '>>': x > t, '<': x < t, '<<': x < t, '>=': x >= t, '<=': x <= t, '=': x === t, '==': x === t, '!=': x !== t }[op];
  return op === '>>' || op === '<<' ? met && isArmed : met;
}

function rate(label, count, run) {
  run(Math.min(count, 2_000_000)); // warm-up
  const samples = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    const fired = run(count);
    samples.push(count / (Number(process.hrtime.bigint() - start) / 1e9));
    if (fired < 0) console.log(fired);
  }
  samples.sort((a, b) => a - b);
  const [min, median, max] = [samples[0], samples[2], samples[4]];
  console.log(`${label.padEnd(44)} ${(median / 1e6).toFixed(1).padStart(6)} M/s (min ${(min / 1e6).toFixed(1)}, max ${(max / 1e6).toFixed(1)})`);
  return median;
}

const conditions = SOURCES.map(compileCondition);
console.log('## ten different conditions in turn, one call site (median of 5 runs)');
const viaTest = rate('condition.test(current, previous, armed)', 50_000_000, (n) => {
  let fired = 0;
  for (let i = 0; i < n; i++) {
    const j = i & (RING - 1);
    fired += conditions[i % 10].test(currents[j], previous[j], armed[j]).fires ? 1 : 0;
  }
  return fired;
});
const viaEvaluate = rate('condition.evaluate({ current, previous, armed })', 50_000_000, (n) => {
  let fired = 0;
  for (let i = 0; i < n; i++) fired += conditions[i % 10].evaluate(inputs[i & (RING - 1)]).fires ? 1 : 0;
  return fired;
});
const viaNaive = rate('naive: a regular expression per check', 2_000_000, (n) => {
  let fired = 0;
  for (let i = 0; i < n; i++) {
    const j = i & (RING - 1);
    fired += naive(SOURCES[i % 10], currents[j], previous[j], armed[j]) ? 1 : 0;
  }
  return fired;
});
console.log(`ratio to the naive evaluator: test ${(viaTest / viaNaive).toFixed(0)}x, evaluate ${(viaEvaluate / viaNaive).toFixed(0)}x (target >= 10x)`);
