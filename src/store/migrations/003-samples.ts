/** Version 3: recent measured values per subject, for the dashboard's charts (pruned per round). */
export const up = `
CREATE TABLE samples (
  monitor TEXT    NOT NULL,
  subject TEXT    NOT NULL,
  time    INTEGER NOT NULL,
  value   REAL    NOT NULL,
  PRIMARY KEY (monitor, subject, time)
) WITHOUT ROWID;
`;
