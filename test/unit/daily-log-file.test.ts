import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DailyLogFile, KEPT_FILES } from '../../src/log/daily-file.js';
import { createLogger } from '../../src/log/logger.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 1, 23, 59, 0);

describe('LOG_FILE: a log file rotated daily', () => {
  it('renames the file after the day it holds at the first line of a new UTC day, and keeps seven', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-log-'));
    const path = join(dir, 'asterwatch.log');
    let now = T0;
    const file = new DailyLogFile(path, () => now);
    file.write('{"day":1}\n');
    now += 30_000;
    file.write('{"day":1,"again":true}\n');
    now = T0 + 2 * 60_000; // 00:01 the next day
    file.write('{"day":2}\n');
    expect(readFileSync(join(dir, 'asterwatch.log.2026-11-01'), 'utf8')).toBe('{"day":1}\n{"day":1,"again":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"day":2}\n');
    for (let d = 2; d <= 12; d++) {
      now = T0 + d * DAY;
      file.write(`{"day":${d + 1}}\n`);
    }
    file.close();
    const rotated = readdirSync(dir)
      .filter((n) => n !== 'asterwatch.log')
      .sort();
    expect(rotated).toHaveLength(KEPT_FILES);
    expect(rotated[0]).toBe('asterwatch.log.2026-11-06');
    expect(rotated.at(-1)).toBe('asterwatch.log.2026-11-12'); // the current file holds the 13th
    expect(readFileSync(path, 'utf8')).toBe('{"day":13}\n');
  });

  it("rotates a file left by an earlier day before writing today's first line", () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-log-'));
    const path = join(dir, 'a.log');
    writeFileSync(path, '{"old":true}\n');
    utimesSync(path, new Date(T0 - 3 * DAY), new Date(T0 - 3 * DAY));
    const file = new DailyLogFile(path, () => T0);
    file.write('{"new":true}\n');
    file.close();
    expect(readFileSync(join(dir, 'a.log.2026-10-29'), 'utf8')).toBe('{"old":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}\n');
  });

  it('writes the JSON lines through the logger, secrets redacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-log-'));
    const path = join(dir, 'service.log');
    const logger = createLogger({ file: path, level: 'info', now: () => T0 });
    logger.info({ api_secret: 'hunter2', monitors: 3 }, 'asterwatch started');
    logger.debug('not at this level');
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'asterwatch started', monitors: 3, api_secret: '[redacted]' });
  });

  it('refuses a path it cannot write, naming LOG_FILE', () => {
    expect(() => createLogger({ file: '/proc/nope/asterwatch.log' })).toThrow(
      /LOG_FILE=\/proc\/nope\/asterwatch\.log: cannot write the log file .*point LOG_FILE at a writable file/,
    );
  });
});
