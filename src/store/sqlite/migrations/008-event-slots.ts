/**
 * Version 8: events unique by (slot, id) instead of by id alone, and a monitor's events indexed by day.
 *
 * The slot is the round time an event's id was derived from, so the id fixes it: (slot, id)
 * is unique exactly when the id is. But slots grow with time, so a storm's 10,000 inserts
 * append to this index, where inserting random UUIDs dirtied a page of the id index per
 * event: with 500,000 events kept, 460 ms against 164 ms (bench: see README). Rows written
 * before this version have no known slot and keep -1, the slot of an event whose slot is
 * unknown (the store checks ids against them while any remain; retention removes them).
 *
 * The index of a monitor's events starts with the day they were recorded, for the same reason.
 *
 * SQLite cannot drop a UNIQUE constraint, so the table is rebuilt (its seqs, and the highest
 * seq ever assigned, kept: deliveries refer to them). Runs with foreign keys off.
 */
export const rebuild = true;

export const up = `
CREATE TABLE events_v8 (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  slot       INTEGER NOT NULL DEFAULT -1,  -- the round time the id was derived from (ms); -1: unknown
  id         TEXT    NOT NULL,             -- deterministic: a re-run round does not duplicate it
  monitor    TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  severity   REAL    NOT NULL,
  time       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  body       TEXT    NOT NULL,             -- the CloudEvent as JSON, delivered unchanged
  UNIQUE (slot, id)
);
INSERT INTO events_v8 (seq, slot, id, monitor, subject, type, severity, time, created_at, body)
  SELECT seq, -1, id, monitor, subject, type, severity, time, created_at, body FROM events ORDER BY seq;
-- The highest seq ever assigned (pruning the newest events never takes it back).
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'events_v8', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events_v8');
UPDATE sqlite_sequence
  SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))
  WHERE name = 'events_v8';
DROP TABLE events;
ALTER TABLE events_v8 RENAME TO events;
-- A monitor's events, by day first: a storm's inserts land in today's part of the index, where
-- (monitor, seq) put each in a random page of a 500,000-event index (120 of a storm's 190 ms).
CREATE INDEX events_by_day_monitor ON events (created_at / 86400000, monitor, seq);
CREATE INDEX events_by_created ON events (created_at);
`;
