// Figures for issue 16: engine time of one round (the round's time minus the exchange's
// answer) for 1 k, 10 k and 100 k market monitors, quiet (none fires) and storm (every
// subject fires: that many events with deliveries, committed durably), each the median of
// repeated warm rounds with min and max, and the cost per monitor; peak resident memory.
// `node bench/scale.mjs 1000000` runs the 1 M case (a minute, ~5 GB), not part of `npm run bench`.
// Targets (warm service, one core): quiet 10 k / 100 k / 1 M <= 5 / 50 / 500 ms; storm 10 k <= 40 ms.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tuneHeapForService } from '../dist/service/heap.js';
import { FOLD_AFTER_COMMITS } from '../dist/store/sqlite/states.js';
import { marketConfig, roundRunner, startExchange } from './_setup.mjs';

const SCENARIOS = { quiet: '>> 50%', storm: '> 1' };
const args = process.argv.slice(2);

if (args.length <= 1) {
  const sizes = args.length === 1 ? [Number(args[0])] : [1_000, 10_000, 100_000];
  console.log('## rounds at scale: engine time per round (median of warm rounds, min–max), per monitor, peak resident');
  for (const size of sizes)
    for (const scenario of Object.keys(SCENARIOS)) {
      // Each case in its own process (the command's V8 setting, see src/cli/main.ts): one's heap does not colour the next.
      execFileSync(
        process.execPath,
        ['--expose-gc', '--max-semi-space-size=4', '--max-old-space-size=16384', fileURLToPath(import.meta.url), String(size), scenario],
        {
          stdio: 'inherit',
        },
      );
    }
  process.exit(0);
}

tuneHeapForService(); // as the run command does
const size = Number(args[0]);
const scenario = args[1];
const rounds = size >= 1_000_000 ? 5 : size >= 100_000 ? 9 : 21;
const exchange = await startExchange(200);
const config = marketConfig(size, 200, 1, SCENARIOS[scenario]);
let exchangeMs = 0;
const { store, runner } = roundRunner(exchange, { onPrices: (ms) => (exchangeMs = ms) });
const samples = [];
const checkpoints = [];
let events = 0;
// One round, its figures only: the service keeps no round's results while the next runs, and a
// loop body awaiting the round itself would (V8 keeps the awaited value in the async frame
// until the next await overwrites it: at 1 M monitors, ~150 MB of the previous round's results).
async function timedRound(i) {
  const start = performance.now();
  const outcome = await runner.run((i + 1) * 60_000, config.monitors);
  return { engine: performance.now() - start - exchangeMs, events: outcome.events.length };
}
for (let i = 0; i < rounds; i++) {
  globalThis.gc?.(); // a collection left over from the previous round is not this round's cost
  const { engine, events: raised } = await timedRound(i);
  // The write-ahead log is copied into the database after the round, in the time between rounds
  // the service has (src/store/sqlite/checkpoint.ts); measured apart.
  const checkpointStart = performance.now();
  store.checkpointNow();
  if (i > 0) checkpoints.push(performance.now() - checkpointStart);
  // The first round fetches the 24 h baseline and fills caches: not a warm round.
  if (i > 0) samples.push(engine);
  events = raised;
}
// The round's states went to the state journal, folded into their table in idle time every
// FOLD_AFTER_COMMITS commits (src/store/sqlite/states.ts): one fold, measured apart too.
const foldStart = performance.now();
store.foldNow?.();
const fold = performance.now() - foldStart;
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];
const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
console.log(
  `${size.toLocaleString('en-US').padStart(9)} monitors ${scenario.padEnd(5)} engine ${fmt(median).padStart(6)} ms (${fmt(samples[0])}–${fmt(samples.at(-1))}) · ${((median * 1000) / size).toFixed(2)} µs/monitor · ${events.toLocaleString('en-US')} events · peak resident ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB · then a checkpoint of ${fmt(checkpoints.sort((a, b) => a - b)[checkpoints.length >> 1])} ms${store.foldNow ? `, and a fold of ${fmt(fold)} ms every ${FOLD_AFTER_COMMITS} commits` : ''}`,
);
await store.close();
await exchange.stop();
