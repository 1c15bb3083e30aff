/**
 * Version 9: subject states written as a journal, one row per commit (or per 16,384 states),
 * folded into a table outside the round (src/store/sqlite/state-journal.ts).
 *
 * `state_key` gives every (monitor, subject) an integer, so a journal row names a state with
 * one number instead of two strings. Every existing state gets its key here; from now on a
 * folded state always has one.
 *
 * The folded states move to `state_folded`, which only the fold writes, and `subject_state`
 * becomes a view of it: tools that read the file see the same columns, and a process of an
 * older version still running on this file fails at its next write (a view cannot be written)
 * instead of writing states the journal would then hide.
 */
export const up = `
CREATE TABLE state_key (
  id      INTEGER PRIMARY KEY,
  monitor TEXT NOT NULL,
  subject TEXT NOT NULL,
  UNIQUE (monitor, subject)
);
INSERT INTO state_key (monitor, subject) SELECT monitor, subject FROM subject_state;

CREATE TABLE state_folded (
  monitor    TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  value      REAL    NOT NULL,
  previous   REAL,
  armed      INTEGER NOT NULL,
  checked_at INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  alert      TEXT,
  PRIMARY KEY (monitor, subject)
) WITHOUT ROWID;
INSERT INTO state_folded (monitor, subject, value, previous, armed, checked_at, version, alert)
  SELECT monitor, subject, value, previous, armed, checked_at, version, alert FROM subject_state;
DROP TABLE subject_state;
CREATE VIEW subject_state AS
  SELECT monitor, subject, value, previous, armed, checked_at, version, alert FROM state_folded;

-- A commit's state writes and forgets, in commit order; applied over state_folded when read.
CREATE TABLE state_journal (
  seq  INTEGER PRIMARY KEY,
  body BLOB NOT NULL
);
`;
