/**
 * @module modes/previous — which previous value and edge state a check starts from (conditions.md §5).
 */
import type { SubjectState } from '../store/index.js';

/** Persisted state older than this is not resumed: the 24 h baseline is used instead. */
export const STATE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** True when a restart resumes from this state rather than from the baseline. */
export function isFresh(state: SubjectState | undefined, checkedAt: number): state is SubjectState {
  return state !== undefined && checkedAt - state.checkedAt < STATE_MAX_AGE_MS;
}

export interface Start {
  previous: number | null;
  armed: boolean;
  previousFrom: 'state' | 'baseline' | 'none';
}

/** From fresh state: its value and armed. Otherwise a first run: the baseline (if any), armed. */
export function startingPoint(state: SubjectState | undefined, checkedAt: number, baselineValue: () => number | null): Start {
  if (isFresh(state, checkedAt)) return { previous: state.value, armed: state.armed, previousFrom: 'state' };
  const baseline = baselineValue();
  return baseline === null ? { previous: null, armed: true, previousFrom: 'none' } : { previous: baseline, armed: true, previousFrom: 'baseline' };
}
