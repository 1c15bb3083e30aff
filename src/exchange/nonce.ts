/**
 * @module exchange/nonce — V3 nonces: the time in microseconds, strictly increasing per signer.
 *
 * The exchange refuses a nonce it has seen (aster-accounts.md §2). Two requests of one
 * signer in the same microsecond — or in the same millisecond, since the clock has
 * millisecond resolution — get consecutive nonces. Shared by every client of the process
 * (spot and futures sign with the same wallet).
 *
 * One exception to "increasing": when the clock falls behind the last nonce by more than the
 * exchange's whole window (10 s: a resynchronisation found our offset that wrong, or the
 * system clock was stepped back), the sequence restarts from the clock. Counting on from a
 * nonce more than 10 s ahead of the exchange's clock would have every request refused until
 * real time caught up — and the nonces issued that far ahead were refused for that same
 * reason, so none the exchange accepted is reused.
 */
const lastBySigner = new Map<string, number>();

/** How far behind the last nonce the clock may fall before the sequence restarts from it. */
export const RESTART_AFTER_MS = 10_000;

/** The next nonce of `signer` at `nowMs` (already corrected by the server-time offset). */
export function nextNonce(signer: string, nowMs: number): number {
  const key = signer.toLowerCase();
  const candidate = Math.floor(nowMs * 1000);
  const last = lastBySigner.get(key) ?? 0;
  const nonce = candidate > last || last - candidate > RESTART_AFTER_MS * 1000 ? candidate : last + 1;
  lastBySigner.set(key, nonce);
  return nonce;
}
