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

-- Written when a monitor's result changes (not every round): the latest round of a
-- healthy monitor is max(subject_state.checked_at).
CREATE TABLE monitor_status (
  monitor         TEXT PRIMARY KEY,
  last_round      INTEGER NOT NULL,
  last_checked_at INTEGER NOT NULL,
  last_result     TEXT    NOT NULL,
  last_error      TEXT
);
`;
