/**
 * @module replay/render — a replay as a table (terminal), JSON lines or CSV.
 */
import type { ReplayResult, SubjectSummary } from './replay.js';

export type ReplayFormat = 'table' | 'json' | 'csv';

export interface ReplayReport {
  from: number;
  to: number;
  original: ReplayResult;
  /** The same monitors with `--condition`, when given. */
  tuned: ReplayResult | null;
  newCondition: string | null;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const num = (x: number | null) => (x === null || !Number.isFinite(x) ? '' : String(Math.round(x * 1e8) / 1e8));

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

/** What the figures rest on, in words. */
export function assumptions(report: ReplayReport): string[] {
  const r = report.original;
  const lines = [
    `a price is the close of the last ${r.interval} candle closed at or before each check (the same as the last 1-minute close, for these check times)`,
    "a check's previous value at the first check is the price 24 hours before, as the live service's baseline",
    "a portfolio is today's balances (or its mock data) valued at the past's prices: this portfolio, over the past",
    'events are computed, never delivered; ids are those the service gives for the same monitor, subject and slot',
  ];
  if (r.liquidationOrigin !== null) {
    lines.push(
      `liquidations are those recorded in ${r.liquidationOrigin}: the exchange's stream is sampled (it sends at most one liquidation per symbol per second, the largest), so totals are lower bounds${r.gaps.length > 0 ? '; the feed was down in the gaps listed' : ''}`,
    );
  }
  for (const [monitor, count] of r.failedChecks) lines.push(`${monitor}: ${count} check(s) failed (a price missing at that time); they raised nothing`);
  return lines;
}

export function renderReplay(format: ReplayFormat, report: ReplayReport): string {
  if (format === 'json') return renderJson(report);
  if (format === 'csv') return renderCsv(report);
  return renderTable(report);
}

function renderJson(report: ReplayReport): string {
  const lines = report.original.events.map((e) => JSON.stringify(e));
  const summary = {
    summary: {
      from: iso(report.from),
      to: iso(report.to),
      interval: report.original.interval,
      slots: report.original.slots,
      kline_requests: report.original.requests + (report.tuned?.requests ?? 0),
      subjects: report.original.summaries.map(summaryJson),
      skipped: report.original.skipped,
      gaps: report.original.gaps.map((g) => ({ venue: g.venue, start: iso(g.start), end: iso(g.end) })),
      assumptions: assumptions(report),
      ...(report.tuned === null
        ? {}
        : { condition: report.newCondition, with_condition: report.tuned.summaries.map(summaryJson), with_condition_events: report.tuned.events.length }),
    },
  };
  return `${[...lines, JSON.stringify(summary)].join('\n')}\n`;
}

function summaryJson(s: SubjectSummary) {
  return {
    monitor: s.monitor,
    subject: s.subject,
    condition: s.condition,
    checks: s.checks,
    fires: s.fires,
    first_fire: s.firstFire === null ? null : iso(s.firstFire),
    last_fire: s.lastFire === null ? null : iso(s.lastFire),
    longest_quiet_ms: s.longestQuietMs,
  };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderCsv(report: ReplayReport): string {
  const rows = [['time', 'monitor', 'subject', 'value', 'previous', 'condition', 'severity', 'severity_label', 'id']];
  for (const t of report.original.timeline) {
    rows.push([iso(t.time), t.monitor, t.subject, num(t.value), num(t.previous), t.condition, String(t.severity), t.severityLabel, t.id]);
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

function renderTable(report: ReplayReport): string {
  const r = report.original;
  const out: string[] = [`replay ${iso(report.from)} → ${iso(report.to)}: ${r.slots.toLocaleString('en-US')} check times, ${r.events.length} events`, ''];
  if (r.timeline.length > 0) {
    out.push(
      ...table([
        ['time', 'monitor', 'subject', 'value', 'previous', 'condition', 'severity', 'id'],
        ...r.timeline.map((t) => [iso(t.time), t.monitor, t.subject, num(t.value), num(t.previous), t.condition, `${t.severity} ${t.severityLabel}`, t.id]),
      ]),
      '',
    );
  }
  const tuned = new Map((report.tuned?.summaries ?? []).map((s) => [`${s.monitor}\u0000${s.subject}`, s]));
  const header = ['monitor', 'subject', 'condition', 'checks', 'fires', 'first fire', 'last fire', 'longest quiet'];
  if (report.tuned !== null) header.push(`with ${report.newCondition}: fires`, 'first', 'last');
  out.push(
    'summary',
    ...table([
      header,
      ...r.summaries.map((s) => {
        const row = [
          s.monitor,
          s.subject,
          s.condition,
          String(s.checks),
          String(s.fires),
          iso(s.firstFire) || '–',
          iso(s.lastFire) || '–',
          duration(s.longestQuietMs),
        ];
        const t = tuned.get(`${s.monitor}\u0000${s.subject}`);
        if (report.tuned !== null) row.push(t === undefined ? '–' : String(t.fires), iso(t?.firstFire ?? null) || '–', iso(t?.lastFire ?? null) || '–');
        return row;
      }),
    ]),
  );
  if (r.skipped.length > 0) out.push('', 'not replayed', ...r.skipped.map((s) => `  ${s.monitor}: ${s.reason}`));
  if (r.gaps.length > 0) out.push('', 'liquidation feed gaps in the range', ...r.gaps.map((g) => `  ${g.venue}: ${iso(g.start)} → ${iso(g.end)}`));
  out.push('', 'assumptions', ...assumptions(report).map((a) => `  - ${a}`));
  out.push('', `candles: ${r.interval}, ${r.requests} request(s) to the exchange (the rest from the cache)`);
  return `${out.join('\n')}\n`;
}
