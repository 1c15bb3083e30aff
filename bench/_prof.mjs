// Profiling aid (not a figure): N warm rounds of 10,000 market monitors, average ms; run with --cpu-prof to see where a round spends its time. Usage: node bench/_prof.mjs [condition]
import { marketConfig, roundRunner, startExchange } from './_setup.mjs';
const exchange = await startExchange(200);
const config = marketConfig(10000, 200, 1, process.argv[2] ?? '>> 50%');
const { store, runner } = roundRunner(exchange);
for (let i = 0; i < 3; i++) await runner.run((i + 1) * 60_000, config.monitors);
const t = performance.now();
for (let i = 3; i < 33; i++) await runner.run((i + 1) * 60_000, config.monitors);
console.log('avg', ((performance.now() - t) / 30).toFixed(1));
await store.close();
await exchange.stop();
