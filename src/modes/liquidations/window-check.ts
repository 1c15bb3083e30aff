/**
 * @module modes/liquidations/window-check — a monitor with `window: W`: the volume of a rolling window.
 *
 * x is the USD liquidated in the last W seconds, `previous` the same over the W seconds before,
 * per subject (a symbol, or `all`). Subjects are evaluated on every batch (liquidations are
 * handed over as soon as they are stored) and at least once a second, so a window that
 * drains re-arms a once-condition without waiting for the next liquidation. At start the
 * windows are rebuilt from what the store recorded, and the once-state comes from the store:
 * a restart neither re-fires an alert nor forgets the last window's volume.
 */
import type { MonitorConfig } from '../../config/model.js';
import type { StateWrite } from '../../store/index.js';
import type { StreamCatalog } from '../../streams/catalog.js';
import type { Liquidation } from '../../streams/liquidations/liquidation.js';
import { emptyCheck, type StreamBatch, type StreamedCheck, type SubjectOutcome } from '../mode.js';
import { windowEvent } from './event.js';
import { RollingWindows } from './rolling-window.js';
import { ALL, matcher, type LiquidationSettings } from './settings.js';
import { liquidationSeverity } from './severity.js';

/** A subject's stored volume is refreshed at most this often (its once-state at once); the live figures are the batch's. */
const STATE_REFRESH_MS = 5000;
/**
 * Every subject is evaluated when this much time has passed since the last time; between, only
 * those a liquidation reached. The stream driver ticks every 250 ms, so every subject is
 * evaluated at least once a second. Each monitor's turn is offset by its own phase, so a
 * thousand monitors do not all evaluate every subject in the same batch.
 */
const EVERY_SUBJECT_MS = 750;

export function bindWindow(monitor: MonitorConfig<LiquidationSettings>, streams: StreamCatalog): StreamedCheck<Liquidation> {
  const { settings } = monitor;
  const seconds = settings.window!;
  const spanMs = seconds * 1000;
  const venues = settings.venues ?? [...streams.liquidationVenues];
  const matches = matcher(settings, venues);
  const { condition } = settings;
  const subjectOf = settings.groupBy === 'all' ? () => ALL : (l: Liquidation) => l.symbol;
  /** Subjects that always exist: `all`, or the listed symbols; otherwise those with recent liquidations. */
  const fixed = settings.groupBy === 'all' ? [ALL] : settings.symbols;
  const windows = new RollingWindows(spanMs);
  let warnedOverflow = false;
  /** The last point of this monitor's grid at which every subject was evaluated, and the batch that did it (a retry decides the same way). */
  let lastGrid = -Infinity;
  let everyoneAt = -Infinity;
  const phase = phaseOf(monitor.name);
  /** The batch whose liquidations are in the windows already: a retried commit hands it over again. */
  let ingested: StreamBatch<Liquidation> | null = null;
  /** Ids read from the store at start, until the first full evaluation: what also arrived live then is counted once. */
  let fromHistory: Set<string> | null = null;

  return {
    streams: venues.map((venue) => streams.liquidations(venue)),
    historySince: ({ now }) => now - 2 * spanMs,
    resume(history) {
      fromHistory = new Set();
      for (const l of history) {
        if (!matches(l)) continue;
        windows.add(subjectOf(l), l);
        fromHistory.add(l.id);
      }
      return [];
    },
    onBatch(states, batch) {
      const result = emptyCheck(monitor.name);
      const reached = new Set<string>();
      for (const l of batch.items) {
        if (!matches(l)) continue;
        const subject = subjectOf(l);
        reached.add(subject);
        if (batch !== ingested && fromHistory?.has(l.id) !== true) windows.add(subject, l);
      }
      ingested = batch;
      // Every subject, at the first batch after each point of the monitor's own grid (phase + k × 750 ms):
      // fixed points, so monitors delayed together by one slow batch spread out again.
      const grid = Math.floor((batch.at - phase) / EVERY_SUBJECT_MS) * EVERY_SUBJECT_MS + phase;
      if (grid > lastGrid) {
        lastGrid = grid;
        everyoneAt = batch.at;
      }
      const everyone = batch.at === everyoneAt;
      if (everyone) {
        windows.advanceAll(batch.at);
        fromHistory = null; // whatever was read at start has arrived live by now, if at all
      }
      if (windows.overflowed && !warnedOverflow) {
        warnedOverflow = true;
        result.warnings.push(`more liquidations than a window keeps in memory; later ones are left out of this monitor's windows (its totals are floors)`);
      }
      const subjects = !everyone ? [...reached] : (fixed ?? [...new Set([...windows.active(), ...states.keys()])]);
      const checkedAt = new Date(batch.at);
      for (const subject of subjects) {
        const window = windows.advance(subject, batch.at);
        const current = window?.current ?? 0;
        const previous = window?.previous ?? 0;
        const state = states.get(subject);
        const evaluation = condition.test(current, previous, state?.armed ?? true);
        // Outcomes (the dashboard's recent points) for the subjects it shows: the fixed ones, and those with a once-state.
        if (fixed !== null || state !== undefined || evaluation.fires) {
          const outcome: SubjectOutcome = { subject, current, previous, previousFrom: 'state', evaluation };
          result.subjects.push(outcome);
          // The lifecycle's reminders and resolved notices carry this batch's window.
          if (monitor.alerting.active)
            outcome.raise = (discriminator) =>
              windowEvent(
                {
                  monitor: monitor.name,
                  condition: condition.source,
                  severity: condition.severity({ current, previous }, liquidationSeverity),
                  roundTime: batch.at,
                  checkedAt,
                  discriminator,
                },
                { subject, venues, seconds, figures: window?.figures() ?? { total: 0, previous: 0, count: 0, longUsd: 0, shortUsd: 0, largestUsd: 0 } },
              );
        }
        if (evaluation.fires) {
          const severity = condition.severity({ current, previous }, liquidationSeverity);
          result.events.push(
            windowEvent(
              { monitor: monitor.name, condition: condition.source, severity, roundTime: batch.at, checkedAt },
              { subject, venues, seconds, figures: window?.figures() ?? { total: 0, previous: 0, count: 0, longUsd: 0, shortUsd: 0, largestUsd: 0 } },
            ),
          );
        }
        // A subject found at run time leaves once both its windows are empty and it is armed again.
        if (fixed === null && (window === undefined || window.empty) && evaluation.armed) {
          windows.delete(subject);
          if (state !== undefined) result.forget.push(subject);
          continue;
        }
        // Stored: the once-state whenever it changes; the volume of a subject always shown (a listed symbol, `all`) when
        // new and then every few seconds. A subject found at run time is stored only once it has a once-state to keep.
        const changed =
          state === undefined
            ? fixed !== null || !evaluation.armed
            : state.armed !== evaluation.armed || (state.value !== current && batch.at - state.checkedAt >= STATE_REFRESH_MS);
        if (changed) result.states.push(stateOf(monitor.name, subject, current, previous, evaluation.armed, batch.at));
      }
      return result;
    },
  };
}

function stateOf(monitor: string, subject: string, value: number, previous: number, armed: boolean, checkedAt: number): StateWrite {
  return { monitor, subject, value, previous, armed, checkedAt };
}

/** A monitor's own offset (0..749 ms) for evaluating every subject: spreads the work of many monitors. */
function phaseOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % EVERY_SUBJECT_MS;
}
