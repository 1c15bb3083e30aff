import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionSyntaxError } from '../../src/condition/index.js';
import { MODES } from '../../src/modes/registry.js';

interface Vector {
  mode: 'market' | 'portfolio';
  condition: string;
  current: number;
  previous: number | null;
  armed: boolean;
  expect: { evaluable: boolean; met: boolean; fires: boolean; armed: boolean; severity: number | null };
  note?: string;
}
interface ErrorVector {
  condition: string;
  expect: { error: true; column: number };
  note?: string;
}

// A copy of the specification's condition-vectors.json: the project is self-contained and reads nothing outside it.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/condition-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
  errors: ErrorVector[];
};

describe('the spec vectors', () => {
  it.each(
    fixture.vectors.map((v) => [`${v.mode} ${JSON.stringify(v.condition)} ${v.previous} -> ${v.current} armed=${v.armed} (${v.note ?? ''})`, v] as const),
  )('%s', (_name, vector) => {
    const condition = compileCondition(vector.condition);
    const result = condition.evaluate({ current: vector.current, previous: vector.previous, armed: vector.armed });
    expect({ evaluable: result.evaluable, met: result.met, fires: result.fires, armed: result.armed }).toEqual({
      evaluable: vector.expect.evaluable,
      met: vector.expect.met,
      fires: vector.expect.fires,
      armed: vector.expect.armed,
    });
    const severity = result.met ? condition.severity({ current: vector.current, previous: vector.previous }, MODES.get(vector.mode)!.severity).value : null;
    expect(severity).toBe(vector.expect.severity);
  });

  it.each(fixture.errors.map((v) => [JSON.stringify(v.condition), v] as const))('rejects %s at its column', (_name, vector) => {
    let caught: unknown;
    try {
      compileCondition(vector.condition);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConditionSyntaxError);
    const error = caught as ConditionSyntaxError;
    expect(error.column).toBe(vector.expect.column);
    expect(error.code).toBe('CONDITION_SYNTAX');
    expect(error.message).toContain(`column ${vector.expect.column}:`);
  });
});
