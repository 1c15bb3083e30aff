/**
 * @module condition/evaluation — the result of evaluating a condition once.
 *
 * There are only eight possible results, so they are preallocated and frozen:
 * evaluating a compiled condition allocates nothing (see bench/condition.mjs).
 */

export interface EvaluationInput {
  current: number;
  /** Value at the previous check or the 24 h baseline; null when unknown. */
  previous: number | null;
  /** Edge state of the (monitor, subject) before this check; starts true. */
  armed: boolean;
}

export interface Evaluation {
  /** False when the condition needs a previous value it does not have (or previous is 0 for a %). */
  readonly evaluable: boolean;
  readonly met: boolean;
  /** Whether an event is raised. */
  readonly fires: boolean;
  /** Edge state to persist after this check. */
  readonly armed: boolean;
}

function result(evaluable: boolean, met: boolean, fires: boolean, armed: boolean): Evaluation {
  return Object.freeze({ evaluable, met, fires, armed });
}

export const RESULT = Object.freeze({
  notEvaluableArmed: result(false, false, false, true),
  notEvaluableDisarmed: result(false, false, false, false),
  notMetArmed: result(true, false, false, true),
  notMetDisarmed: result(true, false, false, false),
  firedArmed: result(true, true, true, true),
  firedDisarmed: result(true, true, true, false),
  heldDisarmed: result(true, true, false, false),
});
