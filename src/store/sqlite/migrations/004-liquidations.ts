/**
 * Version 4: the liquidation feed — every liquidation received, rollups that answer totals
 * and series over days without scanning millions of rows, feed gaps and the last sign of
 * life of each venue's connection.
 */
export const up = `
CREATE TABLE liquidations (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order: the tiebreak of a page cursor
  id         TEXT    NOT NULL UNIQUE,            -- deterministic from the frame: duplicates are dropped
  venue      TEXT    NOT NULL,
  symbol     TEXT    NOT NULL,
  asset      TEXT    NOT NULL,
  side       TEXT    NOT NULL CHECK (side IN ('long', 'short')),
  price      REAL    NOT NULL,
  price_text TEXT    NOT NULL,                   -- the exchange's decimal string, quoted in messages
  quantity   REAL    NOT NULL,
  notional   REAL    NOT NULL,                   -- price x quantity, USD
  time       INTEGER NOT NULL                    -- trade time, ms
);
CREATE INDEX liquidations_by_time ON liquidations (time);
-- Covering the sums of one symbol (time, venue, side, notional): a series of one symbol over
-- days reads this index alone, not the table.
CREATE INDEX liquidations_by_symbol ON liquidations (symbol, time, venue, side, notional);

-- Every liquidation counted once in its minute (by trade time), per venue and side.
CREATE TABLE liquidation_minutes (
  minute      INTEGER NOT NULL,
  venue       TEXT    NOT NULL,
  side        TEXT    NOT NULL,
  count       INTEGER NOT NULL,
  total       REAL    NOT NULL,
  largest     REAL    NOT NULL,
  largest_seq INTEGER NOT NULL,
  PRIMARY KEY (minute, venue, side)
) WITHOUT ROWID;

-- The same per hour and symbol, for the leading symbols over days.
CREATE TABLE liquidation_symbol_hours (
  hour    INTEGER NOT NULL,
  symbol  TEXT    NOT NULL,
  venue   TEXT    NOT NULL,
  side    TEXT    NOT NULL,
  count   INTEGER NOT NULL,
  total   REAL    NOT NULL,
  largest REAL    NOT NULL,
  PRIMARY KEY (hour, symbol, venue, side)
) WITHOUT ROWID;

CREATE TABLE feed_gaps (
  venue TEXT    NOT NULL,
  start INTEGER NOT NULL,
  end   INTEGER NOT NULL,
  PRIMARY KEY (venue, start)
) WITHOUT ROWID;
CREATE INDEX feed_gaps_by_end ON feed_gaps (end);

CREATE TABLE feed_alive (
  venue TEXT PRIMARY KEY,
  at    INTEGER NOT NULL
) WITHOUT ROWID;
`;
