/**
 * @module scheduler/needs — what a round reads: each distinct need once, and a reader that
 * hands a check the value, or throws the error fetching it failed with. Shared by the live
 * round and the replayed one.
 */
import { AsterwatchError } from '../errors.js';
import type { PolledCheck } from '../modes/mode.js';
import type { Need } from '../sources/index.js';

type Fetched = { ok: true; value: unknown } | { ok: false; error: Error };

export interface FetchedNeeds {
  read<T>(need: Need<T>): T;
  /** Whether the round read the exchange itself (prices, or an account on it). */
  contactedExchange: boolean;
  /** Why the exchange could not be read (unreachable or misbehaving), or null. */
  exchangeError: string | null;
}

/** The exchange itself failing (rather than refusing one account's key or request). */
const EXCHANGE_FAULTS = new Set(['EXCHANGE_UNREACHABLE', 'EXCHANGE_SERVER', 'EXCHANGE_BANNED', 'EXCHANGE_RATE_LIMITED', 'EXCHANGE_MALFORMED']);
function isExchangeFault(error: Error): boolean {
  return error instanceof AsterwatchError && EXCHANGE_FAULTS.has(error.code);
}

/** Each distinct need of `checks` once (by key), in first-seen order. */
export function distinctNeeds(checks: readonly PolledCheck[]): Array<Need<unknown>> {
  const needs = new Map<string, Need<unknown>>();
  // Indexed: once a round over every monitor, not optimised code, where for-of allocates per step.
  for (let i = 0; i < checks.length; i++) {
    const own = checks[i]!.needs;
    for (let j = 0; j < own.length; j++) if (!needs.has(own[j]!.key)) needs.set(own[j]!.key, own[j]!);
  }
  return [...needs.values()];
}

/** Each distinct need of `checks` once, concurrently, as of `at`; a failure is kept for the checks that read it. */
export async function fetchNeeds(
  checks: readonly PolledCheck[],
  at: number,
  needs: ReadonlyArray<Need<unknown>> = distinctNeeds(checks),
): Promise<FetchedNeeds> {
  const fetched = new Map<string, Fetched>();
  // Most checks of a round read the same need (10,000 market monitors, one price table): the
  // last one read is answered without a lookup by key.
  let lastNeed: Need<unknown> | null = null;
  let lastFound: Fetched | undefined;
  const result: FetchedNeeds = {
    contactedExchange: false,
    exchangeError: null,
    read<T>(need: Need<T>): T {
      let found: Fetched | undefined;
      if (need === lastNeed) found = lastFound;
      else {
        found = fetched.get(need.key);
        if (found !== undefined) {
          lastNeed = need;
          lastFound = found;
        }
      }
      if (found === undefined) throw new Error(`${need.key} was not fetched this round`);
      if (!found.ok) throw found.error;
      return found.value as T;
    },
  };
  await Promise.all(
    needs.map(async (need) => {
      if (need.exchangeWide || need.readsExchange) result.contactedExchange = true;
      try {
        fetched.set(need.key, { ok: true, value: await need.fetch(at) });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        fetched.set(need.key, { ok: false, error: failure });
        if (need.exchangeWide || (need.readsExchange && isExchangeFault(failure))) result.exchangeError ??= failure.message;
      }
    }),
  );
  return result;
}
