/**
 * @module http/context — what the routes share.
 */
import type { Registry } from 'prom-client';
import type { Service } from '../service/service.js';
import type { EventTail } from './events-tail.js';
import type { SubjectHistory } from './history.js';

export interface HttpContext {
  service: Service;
  history: SubjectHistory;
  tail: EventTail;
  metrics: Registry;
  now: () => number;
}
