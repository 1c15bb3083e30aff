/**
 * @module delivery/sinks/file — appends one JSON line per event to a file.
 *
 * Each event is one `write` of a complete line to a descriptor opened with O_APPEND,
 * so concurrent writers (two asterwatch processes, a log shipper) never interleave
 * inside a line; the write is fsync'ed before the delivery counts as done. A partial
 * line left by a crash (power loss mid-write) is detected on open and terminated, so
 * the next event starts on a line of its own.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { DeliveryError, minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({
  type: z.literal('file'),
  path: z.string({ error: 'must be the path of a file to append to, e.g. ./alerts.jsonl' }).min(1),
  min_severity: minSeveritySchema,
});
export type FileSinkConfig = z.infer<typeof schema>;

export class FileSink implements Sink {
  readonly type = 'file';
  private fd: number | null = null;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly minSeverity: number,
  ) {}

  async deliver(event: AlertEvent): Promise<void> {
    try {
      const fd = this.open();
      writeSync(fd, `${JSON.stringify(event)}\n`);
      fsyncSync(fd);
    } catch (error) {
      this.closeQuietly();
      // A full disk or a permission change may be fixed: retry later.
      throw new DeliveryError(`cannot append to ${this.path}: ${(error as Error).message}`, { retryable: true });
    }
  }

  async close(): Promise<void> {
    this.closeQuietly();
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a+');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    this.fd = fd;
    return fd;
  }

  private closeQuietly(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = null;
  }
}

export const fileSinkType: SinkType<FileSinkConfig> = {
  schema,
  create: (name, config, deps) => new FileSink(name, resolve(deps.baseDir, config.path), severityFloor(config.min_severity)),
};
