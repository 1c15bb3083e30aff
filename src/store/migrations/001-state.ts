/** Version 1: per (monitor, subject) state and per monitor status. */
export const up = `
CREATE TABLE subject_state (
  monitor    TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  value      REAL    NOT NULL,  -- value at the last successful check: the next check's previous
  previous   REAL,              -- the previous that check compared against (null: none)
  armed      INTEGER NOT NULL,  -- edge state for >> and <<
  checked_at INTEGER NOT NULL,  -- ms since the epoch
  PRIMARY KEY (monitor, subject)
) WITHOUT ROWID;

CREATE TABLE monitor_status (
  monitor         TEXT PRIMARY KEY,
  last_round      INTEGER,
  last_checked_at INTEGER,
  last_result     TEXT,
  last_error      TEXT,
  checks          INTEGER NOT NULL DEFAULT 0,
  failures        INTEGER NOT NULL DEFAULT 0
);
`;
