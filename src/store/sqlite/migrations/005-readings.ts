/**
 * Version 5: readings — values the service read (a futures account's margin balance),
 * the baseline of a value the exchange keeps no history of.
 */
export const up = `
CREATE TABLE readings (
  key   TEXT    NOT NULL,   -- what was read (an account's hashed key), never a secret
  at    INTEGER NOT NULL,   -- ms
  value REAL    NOT NULL,
  PRIMARY KEY (key, at)
) WITHOUT ROWID;
CREATE INDEX readings_by_at ON readings (at);
`;
