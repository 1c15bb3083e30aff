/**
 * @module events/test-event — `asterwatch.test`: what `test-sink` and the dashboard's test button
 * send, clearly marked as a test (its type, its source, `data.test: true`, a message saying so).
 */
import { randomUUID } from 'node:crypto';
import type { AlertEvent, EventData } from './envelope.js';
import { TEST_EVENT_TYPE } from './kind.js';

export interface TestEventData extends EventData {
  test: true;
  sink: string;
  message: string;
}

export function testEvent(sink: string, now: number): AlertEvent<TestEventData> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'asterwatch/test',
    type: TEST_EVENT_TYPE,
    subject: sink,
    time: new Date(now).toISOString(),
    datacontenttype: 'application/json',
    data: {
      test: true,
      sink,
      message: `A test alert from asterwatch to sink "${sink}": if you read this, the sink works. No monitor fired.`,
      monitor: 'asterwatch test',
      condition: 'test',
      severity: 0.15,
      severity_label: 'low',
    },
  };
}
