// Figure for issue 3: HTTP requests and request weight per round for N monitors over
// M assets, against a local HTTP server. Must not grow with N or M.
import { marketConfig, roundRunner, startExchange } from './_setup.mjs';

console.log('## exchange requests per round (local server)');
console.log('monitors  assets | first round: requests weight | later rounds: requests weight');
for (const [n, m] of [
  [1, 1],
  [10, 5],
  [50, 20],
  [200, 20],
  [1000, 100],
  [5000, 300],
]) {
  const exchange = await startExchange(m);
  const config = marketConfig(n, m, Math.min(4, m), '>> 5%');
  const { client, store, runner } = roundRunner(exchange);
  const snap = () => ({ requests: client.stats.requests, weight: client.stats.weightSent });
  const before = snap();
  await runner.run(1, config.monitors);
  const first = snap();
  await runner.run(2, config.monitors);
  const second = snap();
  console.log(
    `${String(n).padStart(8)} ${String(m).padStart(7)} | ${String(first.requests - before.requests).padStart(20)} ${String(first.weight - before.weight).padStart(6)} | ${String(second.requests - first.requests).padStart(22)} ${String(second.weight - first.weight).padStart(6)}`,
  );
  await store.close();
  await exchange.stop();
}
console.log('first round = ticker (weight 2) + 24 h baseline: per symbol (weight 1 each) below 40 symbols, one all-symbols call (weight 40) from 40 on');
