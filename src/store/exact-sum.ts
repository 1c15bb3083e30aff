/**
 * @module store/exact-sum — compensated (Neumaier) summation, so money totals over millions
 * of rows stay exact to the cent, as SQLite's own SUM() does.
 */
export class ExactSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    this.compensation += Math.abs(this.sum) >= Math.abs(value) ? this.sum - t + value : value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/** A liquidation list cursor: `<time>:<seq>`; a bare time (ms) means "before that instant". */
export function parseCursor(cursor: string): { time: number; seq: number } | null {
  const match = /^(\d{1,16})(?::(\d{1,16}))?$/.exec(cursor);
  if (match === null) return null;
  return { time: Number(match[1]), seq: match[2] === undefined ? 0 : Number(match[2]) };
}
