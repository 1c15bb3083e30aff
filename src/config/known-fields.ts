/**
 * @module config/known-fields — the field names valid at a path, read from the zod schema itself,
 * for "did you mean" on an unknown field.
 */
import { z } from 'zod';

/** Strips optional, default, pipe (transform) and readonly wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 20; depth++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodReadonly) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

/** A discriminated union's option for `value`, or undefined. */
function optionFor(schema: z.ZodDiscriminatedUnion, value: unknown): z.ZodType | undefined {
  const key = (schema._zod.def as { discriminator: string }).discriminator;
  const wanted = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return (schema.options as z.ZodType[]).find((option) => {
    const field = option instanceof z.ZodObject ? (option.shape as Record<string, z.ZodType>)[key] : undefined;
    return field instanceof z.ZodLiteral && field.values.has(wanted as never);
  });
}

function childOf(value: unknown, segment: string | number): unknown {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, segment) ? (value as Record<string | number, unknown>)[segment] : undefined;
}

/** The fields of the object at `path` in `schema`, given the document `value` (to pick union options). */
export function knownFieldsAt(schema: z.ZodType, value: unknown, path: ReadonlyArray<string | number>): string[] {
  let current: z.ZodType | undefined = schema;
  let node = value;
  const resolve = (): void => {
    current = unwrap(current!);
    if (current instanceof z.ZodDiscriminatedUnion) current = optionFor(current, node);
    if (current !== undefined) current = unwrap(current);
  };
  for (const segment of path) {
    resolve();
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return [];
    node = childOf(node, segment);
    if (current === undefined) return [];
  }
  resolve();
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}
