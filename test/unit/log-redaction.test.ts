import { describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/capture-logger.js';

describe('log redaction (the second line of defence)', () => {
  it('hides secrets in a logged object wherever they sit', () => {
    const { logger, text } = captureLogger('info');
    logger.info(
      {
        api_secret: 'SECRET-1',
        apiKey: 'SECRET-2',
        credentials: { apiSecret: 'SECRET-3', apiKey: 'SECRET-4' },
        sink: { bot_token: 'SECRET-5', secret: 'SECRET-6', authorization: 'Bearer SECRET-7' },
        headers: { 'x-mbx-apikey': 'SECRET-8', authorization: 'SECRET-9' },
        token: 'SECRET-10',
        signature: 'SECRET-11',
        kept: 'visible',
      },
      'a log line holding secrets',
    );
    const line = text();
    expect(line).toContain('visible');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/SECRET-\d+/);
  });
});
