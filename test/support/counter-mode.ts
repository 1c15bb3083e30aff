/**
 * A pushed mode defined in the tests: it listens to a stream of numbers and raises an
 * event for every number at or above its threshold (one event per item, told apart by a
 * discriminator), and keeps the running count as its state.
 */
import { z } from 'zod';
import { buildEvent, type EventData } from '../../src/events/index.js';
import { emptyCheck, type Mode } from '../../src/modes/mode.js';
import type { StreamSource } from '../../src/streams/stream-source.js';
import { compileCondition, SEVERITY, type CompiledCondition } from '../../src/condition/index.js';

export interface Numbered {
  id: string;
  value: number;
}

interface CounterSettings {
  condition: CompiledCondition;
}

/** Builds the mode around the stream it listens to. */
export function counterMode(stream: StreamSource<Numbered>): Mode<CounterSettings, Numbered> {
  return {
    name: 'counter',
    summary: 'numbers pushed by a stream (a test mode)',
    fields: { threshold: z.number().optional() },
    build: (fields: { threshold?: number }) => ({ condition: compileCondition(`>= ${fields.threshold ?? 10}`) }),
    subjects: (monitor) => [{ subject: 'count', symbol: null, condition: monitor.settings.condition }],
    noun: 'the number',
    severity: () => SEVERITY.low,
    eventType: 'test.counter.condition_met',
    driver: {
      kind: 'streamed',
      bind(monitor) {
        return {
          streams: [stream],
          onBatch(states, batch) {
            const result = emptyCheck(monitor.name);
            const before = states.get('count')?.value ?? 0;
            if (batch.items.length === 0) return result;
            for (const item of batch.items) {
              if (!monitor.settings.condition.evaluate({ current: item.value, previous: null, armed: true }).fires) continue;
              const context = {
                monitor: monitor.name,
                condition: monitor.settings.condition.source,
                severity: SEVERITY.low,
                roundTime: batch.at,
                checkedAt: new Date(batch.at),
                discriminator: item.id,
              };
              result.events.push(
                buildEvent<EventData & { value: number }>('test.counter.condition_met', 'count', context, {
                  value: item.value,
                  condition: context.condition,
                  monitor: monitor.name,
                  severity: 0.15,
                  severity_label: 'low',
                }),
              );
            }
            result.states.push({
              monitor: monitor.name,
              subject: 'count',
              value: before + batch.items.length,
              previous: before,
              armed: true,
              checkedAt: batch.at,
            });
            return result;
          },
        };
      },
    },
  };
}
