/**
 * @module log/daily-file — `LOG_FILE`: the JSON log lines appended to a file, rotated at each
 * UTC midnight, seven rotated files kept.
 *
 * The file of the current day is `PATH`; at the first line of a new day it is renamed
 * `PATH.YYYY-MM-DD` (the day it holds) and a new `PATH` begins; rotated files beyond the
 * seven newest are deleted. Writes are synchronous appends of whole lines, so a line is never
 * split and nothing is buffered in memory (a crash loses nothing already logged).
 */
import { closeSync, fstatSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AsterwatchError } from '../errors.js';

/** Rotated files kept beside the current one. */
export const KEPT_FILES = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const dayOf = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

export class DailyLogFile {
  private fd: number;
  /** The UTC day (YYYY-MM-DD) the open file holds. */
  private day: string;

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.fd = this.open();
    // A file left by an earlier day (the service was stopped over midnight) is that day's.
    const size = fstatSync(this.fd).size;
    this.day = size > 0 ? dayOf(statSync(path).mtimeMs) : dayOf(now());
  }

  /** pino's destination interface: one line (or several) at a time. */
  write(line: string): boolean {
    const today = dayOf(this.now());
    if (today !== this.day) this.rotate(today);
    writeSync(this.fd, line);
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(today: string): void {
    closeSync(this.fd);
    const target = `${this.path}.${this.day}`;
    try {
      renameSync(this.path, target);
    } catch {
      // Renamed or removed from outside (logrotate): start the new file all the same.
    }
    this.day = today;
    this.fd = this.open();
    this.prune();
  }

  /** Deletes the oldest rotated files beyond KEPT_FILES (names sort by date). */
  private prune(): void {
    const dir = dirname(this.path);
    const prefix = `${basename(this.path)}.`;
    const rotated = readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && /^\d{4}-\d{2}-\d{2}$/.test(name.slice(prefix.length)))
      .sort();
    for (const name of rotated.slice(0, Math.max(0, rotated.length - KEPT_FILES))) rmSync(join(dir, name), { force: true });
  }

  private open(): number {
    try {
      return openSync(this.path, 'a', 0o600);
    } catch (error) {
      throw new AsterwatchError(
        'CONFIG_LOG_FILE',
        `LOG_FILE=${this.path}: cannot write the log file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); point LOG_FILE at a writable file, or unset it`,
      );
    }
  }
}
