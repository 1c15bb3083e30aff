/**
 * @module delivery/sinks/file — appends one JSON line per event to a file.
 *
 * Each event is one `write` of a complete line to a descriptor opened with O_APPEND,
 * so concurrent writers (two asterwatch processes, a log shipper) never interleave
 * inside a line; the write is fsync'ed before the delivery counts as done. A partial
 * line left by a crash (power loss mid-write) is detected on open and terminated, so
 * the next event starts on a line of its own. A leading `~/` is the home directory; the
 * directory must exist (it is never created), and a new file is readable by its owner only.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AsterwatchError } from '../../errors.js';
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { DeliveryError, minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const schema = z.strictObject({
  type: z.literal('file'),
  path: z.string({ error: 'must be the path of a file to append to, e.g. ./alerts.jsonl' }).min(1),
  min_severity: minSeveritySchema,
});
export type FileSinkConfig = z.infer<typeof schema>;

/** The file operations the sink uses: injectable, so a test can see the fsync happen. */
export interface FileOperations {
  writeSync(fd: number, text: string): number;
  fsyncSync(fd: number): void;
}

const NODE_FILES: FileOperations = { writeSync: (fd, text) => writeSync(fd, text), fsyncSync: (fd) => fsyncSync(fd) };

/** A file sink whose path cannot be written to: the service does not start. */
export class FileSinkPathError extends AsterwatchError {
  constructor(sink: string, path: string, reason: string) {
    super('CONFIG_SINK_PATH', `sink "${sink}": ${reason} (${path}); create the directory, or point path: at an existing one`);
  }
}

/** `~/x` is in the home directory; a relative path is relative to the configuration file's directory. */
export function sinkPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return resolve(baseDir, path);
}

/** Looks at a file whose last line is unfinished this many times, this far apart, before calling it a crash's leftover. */
const SETTLE_LOOKS = 6;
const SETTLE_MS = 25;

/**
 * True when the file ends inside a line left by a crash. Another process may be in the
 * middle of appending a long line (a reader can see part of a write): its line ends within
 * milliseconds and the file grows, while a crash's leftover stays as it is. Ending someone
 * else's half-written line would put an empty line in the file.
 */
function endsMidLine(fd: number): boolean {
  const last = Buffer.alloc(1);
  let size = -1;
  for (let look = 0; look < SETTLE_LOOKS; look++) {
    const now = fstatSync(fd).size;
    if (now === 0) return false;
    readSync(fd, last, 0, 1, now - 1);
    if (last[0] === 0x0a) return false;
    if (now !== size) look = 0; // still growing: start counting again
    size = now;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS); // rare (only an unfinished last line) and brief
  }
  return true;
}

export class FileSink implements Sink {
  readonly type = 'file';
  private fd: number | null = null;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly minSeverity: number,
    private readonly files: FileOperations = NODE_FILES,
  ) {
    // Checked when the service is built, not at the first event: a typo in a directory
    // name is a configuration mistake, and creating directories anywhere is not ours to do.
    const directory = dirname(path);
    if (!existsSync(directory)) throw new FileSinkPathError(name, path, `the directory ${directory} does not exist`);
    if (!statSync(directory).isDirectory()) throw new FileSinkPathError(name, path, `${directory} is not a directory`);
  }

  async deliver(event: AlertEvent): Promise<void> {
    try {
      const fd = this.open();
      this.files.writeSync(fd, `${JSON.stringify(event)}\n`);
      this.files.fsyncSync(fd);
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
    // Readable by its owner only when created: events carry what the monitors watch.
    const fd = openSync(this.path, 'a+', 0o600);
    if (endsMidLine(fd)) writeSync(fd, '\n');
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
  create: (name, config, deps) => new FileSink(name, sinkPath(config.path, deps.baseDir), severityFloor(config.min_severity)),
};
