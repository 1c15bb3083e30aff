/**
 * @module store/sqlite/batch — multi-row statements, so a round of 10,000 monitors is
 * hundreds of statement executions instead of tens of thousands.
 */
import type Database from 'better-sqlite3';

/** Rows per statement: well under SQLite's 32,766 bound parameters for every table here. */
export const BATCH_ROWS = 200;

/**
 * Runs `INSERT ... VALUES (?,…),(?,…) <suffix>` over `rows` in chunks, with statements
 * prepared once per chunk size and cached.
 */
export class BatchInsert<Row> {
  private readonly cache = new Map<number, Database.Statement>();
  /** One parameter array per statement size, reused: better-sqlite3 binds (copies) the values when the statement runs. */
  private readonly parameters = new Map<number, unknown[]>();

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly suffix: string,
    /**
     * Writes the row's `columns` values into `out` from index `at` (no array per row, and the
     * chunk's parameters allocated once at their final size: a round writes thousands).
     */
    private readonly values: (row: Row, out: unknown[], at: number) => void,
  ) {}

  run(rows: readonly Row[]): void {
    this.each(rows, (statement, params) => {
      statement.run(...params);
    });
  }

  /** Like run(); returns how many rows were inserted or updated (an upsert's WHERE may skip some). */
  changes(rows: readonly Row[]): number {
    let changed = 0;
    this.each(rows, (statement, params) => {
      changed += statement.run(...params).changes;
    });
    return changed;
  }

  /** Like run(), for statements with a RETURNING clause: the returned rows of every chunk. */
  all<Result>(rows: readonly Row[]): Result[] {
    const results: Result[] = [];
    this.each(rows, (statement, params) => {
      results.push(...(statement.all(...params) as Result[]));
    });
    return results;
  }

  /**
   * Full chunks of BATCH_ROWS, then the rest in power-of-two chunks (at most 8): every
   * statement size is prepared once and kept, and there are at most 9 of them. (A statement
   * per remainder size would keep up to 200 prepared programs, each as large as its rows,
   * in SQLite's memory.) A plain loop, not a generator of tuples: thousands of rows a round.
   */
  private each(rows: readonly Row[], execute: (statement: Database.Statement, params: unknown[]) => void): void {
    let start = 0;
    while (start < rows.length) {
      const left = rows.length - start;
      const size = left >= BATCH_ROWS ? BATCH_ROWS : 2 ** Math.floor(Math.log2(left));
      const params = this.parametersFor(size);
      for (let r = 0; r < size; r++) this.values(rows[start + r]!, params, r * this.columns);
      try {
        execute(this.statement(size), params);
      } finally {
        // The array is kept for the next chunk of this size; the rows' values (event bodies) are not.
        params.fill(null);
      }
      start += size;
    }
  }

  private parametersFor(count: number): unknown[] {
    let params = this.parameters.get(count);
    if (params === undefined) this.parameters.set(count, (params = new Array(count * this.columns)));
    return params;
  }

  private statement(count: number): Database.Statement {
    let statement = this.cache.get(count);
    if (statement === undefined) {
      const tuple = `(${new Array(this.columns).fill('?').join(', ')})`;
      statement = this.db.prepare(`${this.head} VALUES ${new Array(count).fill(tuple).join(', ')} ${this.suffix}`);
      this.cache.set(count, statement);
    }
    return statement;
  }
}
