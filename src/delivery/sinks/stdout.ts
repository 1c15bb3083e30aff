/**
 * @module delivery/sinks/stdout — one JSON line per event on standard output (the default sink).
 */
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({ type: z.literal('stdout'), min_severity: minSeveritySchema });
export type StdoutSinkConfig = z.infer<typeof schema>;

/** Writes synchronously-ordered lines; resolves when the write is flushed to the stream. */
export class StdoutSink implements Sink {
  readonly type = 'stdout';
  constructor(
    readonly name: string,
    readonly minSeverity: number,
    private readonly stream: NodeJS.WritableStream = process.stdout,
  ) {}

  deliver(event: AlertEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(`${JSON.stringify(event)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }
}

export const stdoutSinkType: SinkType<StdoutSinkConfig> = {
  schema,
  create: (name, config) => new StdoutSink(name, severityFloor(config.min_severity)),
};
