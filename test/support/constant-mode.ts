/**
 * A monitor mode defined entirely in the tests: it "measures" a constant from its own
 * configuration. Used to prove that a mode is one object registered in one place: no
 * change under src/ is needed for it to be validated, run, stored, delivered and served.
 */
import { z } from 'zod';
import { conditionField } from '../../src/config/fields.js';
import type { ModeBuildContext, RawMonitor } from '../../src/config/mode-context.js';
import type { CompiledCondition } from '../../src/condition/index.js';
import { buildEvent, type AlertEvent, type EventData } from '../../src/events/index.js';
import { emptyCheck, type Mode } from '../../src/modes/mode.js';
import type { Need } from '../../src/sources/index.js';

export const CONSTANT_EVENT_TYPE = 'test.constant.condition_met';

interface ConstantSettings {
  value: number;
  condition: CompiledCondition;
}

interface ConstantEventData extends EventData {
  value: number;
}

export const constantMode: Mode<ConstantSettings> = {
  name: 'constant',
  summary: 'a number written in the configuration (a test mode)',
  fields: {
    value: z.number({ error: 'must be a number' }).finite().optional(),
    condition: conditionField('> 1').optional(),
  },
  checkFields(monitor: RawMonitor, ctx: ModeBuildContext) {
    if (monitor.value === undefined) ctx.problem(ctx.at(), 'a constant monitor needs value: a number');
  },
  build(fields: { value: number; condition?: CompiledCondition }) {
    return { value: fields.value, condition: fields.condition ?? conditionField().parse('> 0') };
  },
  subjects: (monitor) => [{ subject: 'constant', symbol: null, condition: monitor.settings.condition }],
  noun: 'the constant',
  severity: (_condition, { current }) => (current > 100 ? { value: 0.75, label: 'critical' } : { value: 0.15, label: 'low' }),
  eventType: CONSTANT_EVENT_TYPE,
  renderTelegram: (event: AlertEvent) => `constant ${String((event.data as ConstantEventData).value)}`,
  driver: {
    kind: 'polled',
    bind(monitor) {
      const need: Need<number> = { key: `constant:${monitor.name}`, fetch: async () => monitor.settings.value };
      return {
        needs: [need],
        check(states, inputs) {
          const result = emptyCheck(monitor.name);
          const current = inputs.read(need);
          const state = states.get('constant');
          const evaluation = monitor.settings.condition.evaluate({ current, previous: state?.value ?? null, armed: state?.armed ?? true });
          result.subjects.push({
            subject: 'constant',
            current,
            previous: state?.value ?? null,
            previousFrom: state === undefined ? 'none' : 'state',
            evaluation,
          });
          result.states.push({
            monitor: monitor.name,
            subject: 'constant',
            value: current,
            previous: state?.value ?? null,
            armed: evaluation.armed,
            checkedAt: inputs.checkedAt,
          });
          if (evaluation.fires) {
            const severity = monitor.settings.condition.severity({ current, previous: state?.value ?? null }, constantMode.severity);
            const context = {
              monitor: monitor.name,
              condition: monitor.settings.condition.source,
              severity,
              roundTime: inputs.roundTime,
              checkedAt: new Date(inputs.checkedAt),
            };
            result.events.push(
              buildEvent<ConstantEventData>(CONSTANT_EVENT_TYPE, 'constant', context, {
                value: current,
                condition: context.condition,
                monitor: monitor.name,
                severity: severity.value,
                severity_label: severity.label,
              }),
            );
          }
          return result;
        },
      };
    },
  },
};
