/**
 * @module http/metrics — Prometheus metrics (prom-client) for the service.
 *
 * Counters fed by round and delivery hooks; gauges read at scrape time from the
 * store, the exchange client and the scheduler. A registry per service (not the
 * global one), so tests can build several.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { ServiceReadModel } from '../service/read-model.js';
import type { EventStreams } from './event-streams.js';
import { registerFeedMetrics } from './feed-metrics.js';
import { CheckCounter, CheckDurationHistogram } from './round-metrics.js';

/** A registry whose counters follow the service's hooks and whose gauges read its view at scrape time. */
export function createMetrics(view: ServiceReadModel, streams?: EventStreams): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'asterwatch_' });

  // Per check, so counted in plain numbers each round and labelled only when scraped (see round-metrics).
  const checks = new CheckCounter();
  const duration = new CheckDurationHistogram([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  register.registerMetric(checks as unknown as Metric);
  register.registerMetric(duration as unknown as Metric);
  const events = new Counter({
    name: 'asterwatch_events_total',
    help: 'Events raised, by type and severity label.',
    labelNames: ['type', 'severity'],
    registers: [register],
  });
  const deliveries = new Counter({
    name: 'asterwatch_deliveries_total',
    help: 'Delivery attempts by sink and result (delivered, retry, dead).',
    labelNames: ['sink', 'result'],
    registers: [register],
  });

  new Counter({
    name: 'asterwatch_config_reloads_total',
    help: 'Reloads of the configuration file (on change or SIGHUP), by result (success, failure: refused, the running configuration kept).',
    labelNames: ['result'],
    registers: [register],
    collect() {
      this.reset();
      for (const result of ['success', 'failure'] as const) this.inc({ result }, view.configReloads[result]);
    },
  });
  new Gauge({
    name: 'asterwatch_config_loaded_timestamp_seconds',
    help: 'When the running configuration was loaded (start-up or the last successful reload), unix seconds.',
    registers: [register],
    collect() {
      this.set(view.configLoadedAt / 1000);
    },
  });
  new Gauge({
    name: 'asterwatch_outbox_depth',
    help: 'Outbox deliveries by sink and status (pending, dead).',
    labelNames: ['sink', 'status'],
    registers: [register],
    async collect() {
      this.reset();
      for (const row of await view.outboxDepth()) {
        this.set({ sink: row.sink, status: 'pending' }, row.pending);
        this.set({ sink: row.sink, status: 'dead' }, row.dead);
      }
    },
  });
  new Counter({
    name: 'asterwatch_exchange_requests_total',
    help: 'HTTP requests sent to the exchange, by endpoint.',
    labelNames: ['endpoint'],
    registers: [register],
    collect() {
      this.reset();
      for (const [endpoint, count] of Object.entries(view.exchange().requests)) this.inc({ endpoint }, count);
    },
  });
  new Counter({
    name: 'asterwatch_exchange_weight_sent_total',
    help: 'Request weight sent to the exchange.',
    registers: [register],
    collect() {
      this.reset();
      this.inc(view.exchange().weightSent);
    },
  });
  new Gauge({
    name: 'asterwatch_exchange_used_weight',
    help: 'Request weight used in the current minute (X-MBX-USED-WEIGHT-1M or local count).',
    registers: [register],
    collect() {
      this.set(view.exchange().budget.usedWeight);
    },
  });
  new Gauge({
    name: 'asterwatch_exchange_weight_limit',
    help: 'Request weight allowed per minute (from exchangeInfo).',
    registers: [register],
    collect() {
      this.set(view.exchange().budget.limit);
    },
  });
  new Counter({
    name: 'asterwatch_rate_limit_waits_total',
    help: 'Times a request waited for the weight budget or a 429 window.',
    registers: [register],
    collect() {
      this.reset();
      this.inc(view.exchange().budget.waits);
    },
  });
  new Counter({
    name: 'asterwatch_scheduler_overruns_total',
    help: 'Slots skipped because the previous check of the monitor was still running.',
    registers: [register],
    collect() {
      this.reset();
      this.inc(view.schedulerOverruns());
    },
  });

  registerFeedMetrics(register, view);
  new Gauge({
    name: 'asterwatch_http_streams_open',
    help: 'Event streams (SSE) open now.',
    registers: [register],
    collect() {
      this.set(streams?.open ?? 0);
    },
  });
  new Counter({
    name: 'asterwatch_http_streams_dropped_total',
    help: 'Event stream clients dropped because they did not read (their unread data passed the bound).',
    registers: [register],
    collect() {
      this.reset();
      this.inc(streams?.dropped ?? 0);
    },
  });
  view.hooks.on('round', (outcome) => {
    for (const check of outcome.checks) checks.count(check.monitor, check.errors.length > 0);
    duration.observeRound(outcome.durationMs / 1000, outcome.checks.length);
    for (const { event } of outcome.events) events.inc({ type: event.type, severity: event.data.severity_label });
  });
  view.hooks.on('batch', (batch) => {
    for (const { event } of batch.events) events.inc({ type: event.type, severity: event.data.severity_label });
  });
  view.hooks.on('delivery', (sink, result, count) => deliveries.inc({ sink, result }, count));
  view.hooks.on('reload', () => checks.keepOnly(new Set(view.monitors.map((m) => m.name))));
  return register;
}
