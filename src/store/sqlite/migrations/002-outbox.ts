/** Version 2: the outbox — every raised event, and its delivery to each sink. */
export const up = `
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,  -- deterministic: a re-run round does not duplicate it
  monitor    TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  severity   REAL    NOT NULL,
  time       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  body       TEXT    NOT NULL          -- the CloudEvent as JSON, delivered unchanged
);
CREATE INDEX events_by_monitor ON events (monitor, seq);

CREATE TABLE deliveries (
  event_seq       INTEGER NOT NULL REFERENCES events (seq),
  sink            TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  first_failed_at INTEGER,
  last_error      TEXT,
  delivered_at    INTEGER,
  PRIMARY KEY (event_seq, sink)
);
CREATE INDEX deliveries_by_sink ON deliveries (sink, status, event_seq);
`;
