// Figure for issue 4: one round for 10,000 monitors against the local server — time
// from the round's start to its last event, the engine's share (excluding the
// exchange's response time), and memory. Targets: < 50 ms engine time, < 150 MB resident.
//
// Three scenarios, since the cost depends on how many events a round raises (each is
// serialised and written to the outbox with its deliveries in the round's transaction):
// quiet (none fire), typical (1% fire), storm (every subject fires).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { marketConfig, roundRunner, startExchange } from './_setup.mjs';

const MONITORS = 10_000;
const ROUNDS = 9;
const mb = (bytes) => (bytes / 1048576).toFixed(0);

// Prices are 100..299 over 200 symbols; each monitor watches one of them.
const SCENARIOS = [
  ['quiet (no event)', '>> 50%'],
  ['typical (1% fire)', '> 297'],
  ['storm (all fire)', '> 1'],
];

// Each scenario in its own process, so that one's memory does not colour the next.
const only = process.argv[2];
if (only === undefined) {
  console.log(`## one round, ${MONITORS.toLocaleString('en-US')} market monitors (median of ${ROUNDS - 1} rounds after a first, baseline-fetching one)`);
  for (let i = 0; i < SCENARIOS.length; i++) {
    // The same V8 setting as the asterwatch command (see src/cli/main.ts).
    execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=4', fileURLToPath(import.meta.url), String(i)], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, ['--max-semi-space-size=4', fileURLToPath(import.meta.url), 'steady'], { stdio: 'inherit' });
  process.exit(0);
}
if (only === 'steady') {
  // As a service lives: rounds with idle time between them (real intervals are >= 60 s;
  // 2 s is enough for V8 to shrink its heap between rounds). No forced GC.
  const exchange = await startExchange(200);
  const config = marketConfig(MONITORS, 200, 1, '> 297');
  const { store, runner } = roundRunner(exchange);
  const STEADY_ROUNDS = 20;
  for (let i = 0; i < STEADY_ROUNDS; i++) {
    await runner.run((i + 1) * 60_000, config.monitors);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const memory = process.memoryUsage();
  console.log(
    `steady (typical)   ${STEADY_ROUNDS} rounds 2 s apart: resident ${mb(memory.rss)} MB at the end, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (YAML parse included), heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB`,
  );
  await store.close();
  await exchange.stop();
  process.exit(0);
}
for (const [name, condition] of [SCENARIOS[Number(only)]]) {
  const exchange = await startExchange(200);
  const config = marketConfig(MONITORS, 200, 1, condition);
  let exchangeMs = 0;
  const { store, runner } = roundRunner(exchange, { onPrices: (ms) => (exchangeMs = ms) });
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const outcome = await runner.run((i + 1) * 60_000, config.monitors);
    const total = performance.now() - start;
    if (i > 0) samples.push({ total, exchange: exchangeMs, engine: total - exchangeMs, events: outcome.events.length });
  }
  samples.sort((a, b) => a.engine - b.engine);
  const median = samples[Math.floor(samples.length / 2)];
  globalThis.gc?.();
  const memory = process.memoryUsage();
  console.log(
    `${name.padEnd(18)} round ${median.total.toFixed(1).padStart(6)} ms = exchange ${median.exchange.toFixed(1).padStart(4)} ms + engine ${median.engine.toFixed(1).padStart(6)} ms (best ${samples[0].engine.toFixed(1)}, worst ${samples.at(-1).engine.toFixed(1)}); ${median.events} events`,
  );
  console.log(
    `${''.padEnd(18)} memory after the rounds: heap ${mb(memory.heapUsed)} MB, resident ${mb(memory.rss)} MB; peak resident ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes parsing the 10,000-monitor YAML)`,
  );
  await store.close();
  await exchange.stop();
}
