/**
 * @module http/context — what the routes share.
 */
import type { Registry } from 'prom-client';
import type { ServiceReadModel } from '../service/read-model.js';
import type { EventStreams } from './event-streams.js';
import type { EventTail } from './events-tail.js';
import type { SubjectHistory } from './history.js';

export interface HttpContext {
  view: ServiceReadModel;
  history: SubjectHistory;
  tail: EventTail;
  streams: EventStreams;
  metrics: Registry;
  now: () => number;
}
