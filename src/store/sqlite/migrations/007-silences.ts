/** Version 7: silences — a monitor (or one subject) muted until a time; pruned a week after they end. */
export const up = `
CREATE TABLE silences (
  id         TEXT    PRIMARY KEY,
  monitor    TEXT    NOT NULL,
  subject    TEXT,              -- null: every subject of the monitor
  starts_at  INTEGER NOT NULL,  -- ms
  ends_at    INTEGER NOT NULL,  -- ms
  comment    TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT    NOT NULL
);
CREATE INDEX silences_by_end ON silences (ends_at);
`;
