/**
 * @module http/round-metrics — the per-check metrics, counted in plain numbers each round and
 * turned into Prometheus series only when scraped.
 *
 * Why not prom-client's Counter and Histogram: a round of 10,000 monitors incremented a counter
 * labelled by monitor 10,000 times (each increment hashes its labels into a string key) and
 * observed the same round duration 10,000 times — 11–13 ms of every round, for numbers read
 * once a scrape. These keep the same series (names, labels, buckets and values) and hand them
 * to the registry's own formatting through prom-client's metric interface.
 */

/** What prom-client's registry reads from a metric at scrape time. */
interface MetricSnapshot {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
}

/** `asterwatch_checks_total{monitor,result}`: checks by monitor and result (ok, error). */
export class CheckCounter {
  readonly name = 'asterwatch_checks_total';
  readonly help = 'Monitor checks by monitor and result (ok, error).';
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly counts = new Map<string, { ok: number; error: number }>();

  count(monitor: string, failed: boolean): void {
    let counts = this.counts.get(monitor);
    if (counts === undefined) this.counts.set(monitor, (counts = { ok: 0, error: 0 }));
    if (failed) counts.error++;
    else counts.ok++;
  }

  /** Monitors a reload removed stop being reported (their series end, as a restart would end them). */
  keepOnly(monitors: ReadonlySet<string>): void {
    for (const name of this.counts.keys()) if (!monitors.has(name)) this.counts.delete(name);
  }

  get(): Promise<MetricSnapshot> {
    const values: MetricSnapshot['values'] = [];
    for (const [monitor, counts] of this.counts) {
      if (counts.ok > 0) values.push({ labels: { monitor, result: 'ok' }, value: counts.ok });
      if (counts.error > 0) values.push({ labels: { monitor, result: 'error' }, value: counts.error });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.counts.clear();
  }
}

/**
 * `asterwatch_check_duration_seconds`: a histogram with one observation per check, whose value
 * is the duration of the round the check ran in — so a round adds its duration once, weighted
 * by its number of checks.
 */
export class CheckDurationHistogram {
  readonly name = 'asterwatch_check_duration_seconds';
  readonly help = 'Duration of the round a check ran in, from its start to its commit (exchange time included).';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bucketCounts: number[];
  private sum = 0;
  private count = 0;

  constructor(private readonly upperBounds: readonly number[]) {
    this.bucketCounts = upperBounds.map(() => 0);
  }

  /** `checks` observations of `seconds` each. */
  observeRound(seconds: number, checks: number): void {
    if (checks <= 0 || !Number.isFinite(seconds)) return;
    const bucket = this.upperBounds.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) this.bucketCounts[bucket]! += checks;
    this.sum += seconds * checks;
    this.count += checks;
  }

  get(): Promise<MetricSnapshot> {
    const bucketName = `${this.name}_bucket`;
    const values: MetricSnapshot['values'] = [];
    let cumulative = 0;
    this.upperBounds.forEach((bound, i) => {
      cumulative += this.bucketCounts[i]!;
      values.push({ labels: { le: bound }, value: cumulative, metricName: bucketName });
    });
    values.push(
      { labels: { le: '+Inf' }, value: this.count, metricName: bucketName },
      { labels: {}, value: this.sum, metricName: `${this.name}_sum` },
      { labels: {}, value: this.count, metricName: `${this.name}_count` },
    );
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.bucketCounts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
