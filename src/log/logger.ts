/**
 * @module log/logger — pino to standard error, pretty on a terminal, secrets redacted.
 *
 * Redaction is the second line of defence: code never logs a secret on purpose, and
 * these paths catch one that slips into a logged object anyway.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import { lazyModule } from '../lazy-module.js';

/** Pretty lines, loaded only when standard error is a terminal. */
const pinoPretty = lazyModule<typeof PinoPretty>('pino-pretty');
import { AsterwatchError } from '../errors.js';
import { DailyLogFile } from './daily-file.js';

export type { Logger };

/** Object paths whose values are replaced by "[redacted]" wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'api_key',
  'api_secret',
  'apiKey',
  'apiSecret',
  'secret',
  'signature',
  'bot_token',
  'botToken',
  'token',
  'authorization',
  'password',
  'private_key',
  'privateKey',
  '*.api_key',
  '*.api_secret',
  '*.apiKey',
  '*.apiSecret',
  '*.secret',
  '*.signature',
  '*.bot_token',
  '*.botToken',
  '*.token',
  '*.authorization',
  '*.password',
  '*.private_key',
  '*.privateKey',
  'headers["x-mbx-apikey"]',
  '*.headers["x-mbx-apikey"]',
  'headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; default standard error (pretty when it is a terminal). */
  destination?: DestinationStream;
  /** Also append the JSON lines to this file, rotated daily (default: `LOG_FILE`). */
  file?: string;
  /** The clock the file rotates by (tests). */
  now?: () => number;
}

/** The service's logger. `LOG_LEVEL` sets the level (default info). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = (options.level ?? process.env.LOG_LEVEL ?? 'info').trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new AsterwatchError(
      'CONFIG_LOG_LEVEL',
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(options.level ?? process.env.LOG_LEVEL)}`,
    );
  }
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'asterwatch' } };
  if (options.destination) return pino(base, options.destination);
  const file = (options.file ?? process.env.LOG_FILE ?? '').trim();
  if (file !== '') {
    // Both: standard error as usual, and the file (JSON lines whatever the terminal).
    const stderr = process.stderr.isTTY ? pinoPretty()({ destination: 2, colorize: true }) : pino.destination({ fd: 2, sync: true });
    return pino(
      base,
      pino.multistream([
        { level: level as pino.Level, stream: stderr },
        { level: level as pino.Level, stream: new DailyLogFile(file, options.now) },
      ]),
    );
  }
  if (process.stderr.isTTY) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for library use and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
