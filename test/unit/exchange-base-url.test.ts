/**
 * A malformed ASTER_BASE_URL is the user's mistake: a typed, user-facing error at
 * construction, never four "network error" retries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AsterwatchError } from '../../src/errors.js';
import { AsterClient } from '../../src/exchange/index.js';

const saved = process.env.ASTER_BASE_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.ASTER_BASE_URL;
  else process.env.ASTER_BASE_URL = saved;
});

function constructionError(run: () => unknown): AsterwatchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AsterwatchError);
    return error as AsterwatchError;
  }
  throw new Error('expected the constructor to throw');
}

describe('the exchange base URL', () => {
  it.each([
    '',
    'sapi.asterdex.com',
    'ftp://x',
    'localhost:8080',
    'http://',
    'not a url',
    'file:///etc/passwd',
    'ws://sapi.asterdex.com',
    'https://sapi.asterdex.com/?a=1',
  ])('rejects %j at construction, naming the variable and what to write', (value) => {
    const error = constructionError(() => new AsterClient({ baseUrl: value }));
    expect(error.code).toBe('CONFIG_BASE_URL');
    expect(error.userFacing).toBe(true);
    expect(error.message).toBe(`ASTER_BASE_URL must be an http(s) URL such as https://sapi.asterdex.com; got ${JSON.stringify(value)}`);
  });

  it('checks ASTER_BASE_URL from the environment too', () => {
    process.env.ASTER_BASE_URL = 'ftp://x';
    const error = constructionError(() => new AsterClient());
    expect(error.code).toBe('CONFIG_BASE_URL');
    expect(error.message).toContain('got "ftp://x"');
  });

  it.each([
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['https://sapi.asterdex.com///', 'https://sapi.asterdex.com'],
    ['HTTPS://sapi.asterdex.com', 'HTTPS://sapi.asterdex.com'],
    ['http://127.0.0.1:8080/prefix/', 'http://127.0.0.1:8080/prefix'],
  ])('accepts %j and trims trailing slashes', (value, expected) => {
    expect(new AsterClient({ baseUrl: value }).baseUrl).toBe(expected);
  });

  it('defaults to the public API', () => {
    delete process.env.ASTER_BASE_URL;
    expect(new AsterClient().baseUrl).toBe('https://sapi.asterdex.com');
  });
});
