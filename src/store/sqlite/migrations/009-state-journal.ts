/**
 * Version 9: subject states written as a journal, one row per commit, folded into
 * `subject_state` outside the round (src/store/sqlite/state-journal.ts).
 *
 * `state_key` gives every (monitor, subject) a small integer, so a journal row names a
 * state in 4 bytes instead of two strings. Every existing state gets its key here; from
 * now on a state row always has one.
 */
export const up = `
CREATE TABLE state_key (
  id      INTEGER PRIMARY KEY,
  monitor TEXT NOT NULL,
  subject TEXT NOT NULL,
  UNIQUE (monitor, subject)
);
INSERT INTO state_key (monitor, subject) SELECT monitor, subject FROM subject_state;

-- A commit's state writes and forgets, in commit order; applied over subject_state when read.
CREATE TABLE state_journal (
  seq  INTEGER PRIMARY KEY,
  body BLOB NOT NULL
);
`;
