/**
 * @module exchange/nonce — V3 nonces: the time in microseconds, strictly increasing per signer.
 *
 * The exchange refuses a nonce it has seen (aster-accounts.md §2). Two requests of one
 * signer in the same microsecond — or in the same millisecond, since the clock has
 * millisecond resolution — get consecutive nonces. Shared by every client of the process
 * (spot and futures sign with the same wallet).
 */
const lastBySigner = new Map<string, number>();

/** The next nonce of `signer` at `nowMs` (already corrected by the server-time offset). */
export function nextNonce(signer: string, nowMs: number): number {
  const key = signer.toLowerCase();
  const candidate = Math.floor(nowMs * 1000);
  const last = lastBySigner.get(key) ?? 0;
  const nonce = candidate > last ? candidate : last + 1;
  lastBySigner.set(key, nonce);
  return nonce;
}
