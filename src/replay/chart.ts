/**
 * @module replay/chart — `replay --chart FILE.svg`: each replayed subject's value over time, the
 * condition's level when it has one, and a marker at every fire. A standalone SVG (no script,
 * no external reference) that any browser or viewer opens.
 */
import type { ReplayResult } from './replay.js';
import type { ValueSeries } from './series.js';

const WIDTH = 900;
const PANEL = 180;
const PAD = { left: 70, right: 20, top: 28, bottom: 24 };
/** Points drawn per subject at most: a year of minutes is reduced to its per-bucket extremes. */
const MAX_POINTS = 2000;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** At most MAX_POINTS points keeping each bucket's minimum and maximum, so spikes stay visible. */
function reduce(series: ValueSeries): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  if (series.length <= MAX_POINTS) {
    for (let i = 0; i < series.length; i++) out.push([series.time(i), series.value(i)]);
    return out;
  }
  const per = Math.ceil(series.length / (MAX_POINTS / 2));
  for (let start = 0; start < series.length; start += per) {
    let lo = start;
    let hi = start;
    for (let i = start; i < Math.min(series.length, start + per); i++) {
      if (series.value(i) < series.value(lo)) lo = i;
      if (series.value(i) > series.value(hi)) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) out.push([series.time(i), series.value(i)]);
  }
  return out;
}

export function renderChart(result: ReplayResult, from: number, to: number): string {
  const fires = new Map<string, number[]>();
  for (const t of result.timeline) {
    const key = `${t.monitor}\u0000${t.subject}`;
    fires.set(key, [...(fires.get(key) ?? []), t.time]);
  }
  const panels = result.summaries.map((summary, index) => {
    const top = index * PANEL;
    const points = reduce(summary.series);
    const values = points.map((p) => p[1]);
    if (summary.level !== null) values.push(summary.level);
    const min = values.length === 0 ? 0 : Math.min(...values);
    const max = values.length === 0 ? 1 : Math.max(...values);
    const span = max - min || Math.abs(max) || 1;
    const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * (WIDTH - PAD.left - PAD.right);
    const y = (v: number) => top + PAD.top + (1 - (v - min) / span) * (PANEL - PAD.top - PAD.bottom);
    const parts = [
      `<g data-subject="${escape(summary.monitor)}/${escape(summary.subject)}">`,
      `<text x="${PAD.left}" y="${top + 16}" class="title">${escape(summary.monitor)} · ${escape(summary.subject)} · ${escape(summary.condition)} · ${summary.fires} fire(s) in ${summary.checks} checks</text>`,
      `<text x="${PAD.left - 6}" y="${y(max).toFixed(1)}" class="axis" text-anchor="end">${fmt(max)}</text>`,
      `<text x="${PAD.left - 6}" y="${y(min).toFixed(1)}" class="axis" text-anchor="end">${fmt(min)}</text>`,
    ];
    if (points.length > 0) {
      parts.push(`<polyline class="value" points="${points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    }
    if (summary.level !== null) {
      parts.push(`<line class="level" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(summary.level).toFixed(1)}" y2="${y(summary.level).toFixed(1)}"/>`);
    }
    for (const t of fires.get(`${summary.monitor}\u0000${summary.subject}`) ?? []) {
      const v = summary.series.at(t);
      if (v !== undefined)
        parts.push(`<circle class="fire" cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5"><title>${new Date(t).toISOString()}</title></circle>`);
    }
    parts.push('</g>');
    return parts.join('\n');
  });
  const height = Math.max(1, result.summaries.length) * PANEL;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<style>
.title { font: 13px sans-serif; fill: #222; } .axis { font: 11px sans-serif; fill: #666; }
.value { fill: none; stroke: #3b6fd8; stroke-width: 1.2; } .level { stroke: #d33; stroke-dasharray: 4 3; }
.fire { fill: #e8590c; stroke: #fff; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${PAD.left}" y="${height - 6}" class="axis">${new Date(from).toISOString()} → ${new Date(to).toISOString()}</text>
${panels.join('\n')}
</svg>
`;
}
