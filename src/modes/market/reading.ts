/**
 * @module modes/market/reading — one asset's check as one object: the state it writes and the
 * outcome it reports.
 *
 * Why (issue 16): a round of 10,000 market monitors built an outcome and a state write per
 * asset, two lists and their numbers — ~530 bytes a monitor, all alive until the round's
 * commit, so every young collection inside the round copied them (10,000 checks took ~10 ms
 * with collections, 1.5 ms without). One object serves both, and one list both lists.
 *
 * What the store keeps and hands out is a state: the state's fields are the object's own, in
 * the order a state literal has them, and the outcome's own parts are private fields behind
 * accessors, so a reading spread, serialised or compared reads as a plain state.
 */
import type { AlertEvent } from '../../events/index.js';
import type { Evaluation } from '../../condition/index.js';
import type { SubjectOutcome } from '../mode.js';
import type { AlertMemory, StateWrite } from '../../store/index.js';

export class MarketReading implements SubjectOutcome, StateWrite {
  // The state (see StateWrite): version 0 until the round sets the one it read plus one.
  readonly monitor: string;
  readonly subject: string;
  value: number;
  previous: number | null;
  armed: boolean;
  checkedAt: number;
  version = 0;
  /** Set by the lifecycle (monitors with an alert policy); declared, not defined, so a plain reading has no such field. */
  declare alert?: AlertMemory | null;
  // The outcome's own parts.
  #previousFrom: SubjectOutcome['previousFrom'];
  #evaluation: Evaluation;
  #raise: ((discriminator: string) => AlertEvent) | undefined = undefined;

  constructor(
    monitor: string,
    subject: string,
    current: number,
    previous: number | null,
    previousFrom: SubjectOutcome['previousFrom'],
    evaluation: Evaluation,
    checkedAt: number,
  ) {
    this.monitor = monitor;
    this.subject = subject;
    this.value = current;
    this.previous = previous;
    this.armed = evaluation.armed;
    this.checkedAt = checkedAt;
    this.#previousFrom = previousFrom;
    this.#evaluation = evaluation;
  }

  /** The price measured: the state's value. */
  get current(): number {
    return this.value;
  }

  get previousFrom(): SubjectOutcome['previousFrom'] {
    return this.#previousFrom;
  }

  /** Set by the lifecycle when hysteresis keeps a subject disarmed. */
  get evaluation(): Evaluation {
    return this.#evaluation;
  }

  set evaluation(evaluation: Evaluation) {
    this.#evaluation = evaluation;
  }

  get raise(): ((discriminator: string) => AlertEvent) | undefined {
    return this.#raise;
  }

  set raise(raise: ((discriminator: string) => AlertEvent) | undefined) {
    this.#raise = raise;
  }
}
