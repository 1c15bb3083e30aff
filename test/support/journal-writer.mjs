// A writer process for the state-journal crash test: commits ROUNDS rounds of states through
// the built SqliteStore, prints "committed" and then kills itself with SIGKILL — no close, no
// fold: what it wrote is only in the journal. Usage: node journal-writer.mjs PATH ROUNDS
import { SqliteStore } from '../../dist/store/index.js';

const [path, rounds] = process.argv.slice(2);
const store = SqliteStore.open(path);
for (let r = 1; r <= Number(rounds); r++) {
  const states = [];
  for (let m = 0; m < 50; m++)
    states.push({
      monitor: `m${m}`,
      subject: m % 5 === 0 ? 'É€' : 'BTC',
      value: r * 1000 + m + 0.25,
      previous: r === 1 ? null : (r - 1) * 1000 + m + 0.25,
      armed: (r + m) % 2 === 0,
      checkedAt: r * 60_000,
      version: r,
      ...(m === 7 ? { alert: { firingSince: r * 60_000, sentAt: null, severity: 0.5, severityLabel: 'médium' } } : {}),
    });
  await store.commit({ roundTime: r * 60_000, checkedAt: r * 60_000, states, statuses: [], events: [] });
}
process.stdout.write('committed\n');
process.kill(process.pid, 'SIGKILL');
