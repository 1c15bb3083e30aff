/**
 * @module sources/account — an account's balances (signed, or mock) and their USD value.
 */
import { AsterwatchError } from '../errors.js';
import { accountKeyOf, decodeBalances, Decoder, fetchAccountBalances, type AsterClient, type Balance, type Credentials } from '../exchange/index.js';
import type { Need } from './need.js';
import { QUOTE_ASSET, symbolOf } from './symbols.js';

/**
 * Where a portfolio monitor's balances come from: a need keyed by the account, so
 * monitors on the same account share one request per round.
 */
export type AccountSource = Need<Balance[]>;

/** The live spot account: signed `GET /api/v1/account` (V1) or `/api/v3/account` (V3). The exchange keeps no history of balances, so `at` is not sent. */
export class SignedAccountSource implements AccountSource {
  readonly key: string;
  readonly readsExchange = true;
  constructor(
    private readonly client: AsterClient,
    private readonly credentials: Credentials,
  ) {
    // Identifies the account without carrying any part of its key.
    this.key = `account:${accountKeyOf(credentials)}`;
  }

  fetch(_at?: number): Promise<Balance[]> {
    return fetchAccountBalances(this.client, this.credentials);
  }
}

/** `mock_account_data`: fixed balances, no request to /api/v1/account. */
export class MockAccountSource implements AccountSource {
  readonly key: string;
  private readonly fixed: Balance[];

  constructor(monitor: string, data: unknown) {
    this.key = `mock:${monitor}`;
    this.fixed = parseMockAccountData(data);
  }

  async fetch(_at?: number): Promise<Balance[]> {
    return this.fixed;
  }
}

export class MockAccountDataError extends AsterwatchError {
  constructor(message: string) {
    super('CONFIG_MOCK_ACCOUNT', message);
  }
}

/** Accepts a JSON string or an object with `balances`; throws MockAccountDataError naming the field. */
export function parseMockAccountData(data: unknown): Balance[] {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data) as unknown;
    } catch (error) {
      throw new MockAccountDataError(`mock_account_data is not valid JSON: ${(error as Error).message}`);
    }
  }
  const d = new Decoder('mock_account_data');
  try {
    const body = d.object(value, '');
    return decodeBalances(d, body.balances, 'balances', { lockedOptional: true });
  } catch (error) {
    throw new MockAccountDataError(
      `mock_account_data: ${(error as Error).message.replace(/^the exchange sent a malformed response to mock_account_data: /, '')}`,
    );
  }
}

export interface Valuation {
  /** Total value in USD. */
  value: number;
  /** Assets held but left out: no `{ASSET}USDT` price. */
  skipped: string[];
}

/**
 * Σ (free + locked) × price of {ASSET}USDT; USDT counts at 1.0; an asset without a
 * price is skipped and listed. Zero balances are ignored (dust in delisted assets
 * should not show up as "skipped").
 */
export function valueBalances(balances: readonly Balance[], priceOf: (symbol: string) => number | undefined): Valuation {
  let value = 0;
  const skipped: string[] = [];
  for (const balance of balances) {
    const amount = balance.free + balance.locked;
    if (amount === 0) continue;
    if (balance.asset === QUOTE_ASSET) {
      value += amount;
      continue;
    }
    const price = priceOf(symbolOf(balance.asset));
    if (price === undefined) skipped.push(balance.asset);
    else value += amount * price;
  }
  return { value, skipped };
}

/**
 * The same balances at 24-hour-ago prices; an asset whose open price is missing is valued
 * at its current price (contributing no change) and named in `atCurrentPrice`.
 */
export function valueBalancesAtBaseline(
  balances: readonly Balance[],
  currentPriceOf: (symbol: string) => number | undefined,
  openPriceOf: (symbol: string) => number | undefined,
): Valuation & { atCurrentPrice: string[] } {
  const atCurrentPrice: string[] = [];
  const valuation = valueBalances(balances, (symbol) => {
    const current = currentPriceOf(symbol);
    if (current === undefined) return undefined;
    const open = openPriceOf(symbol);
    if (open === undefined) {
      atCurrentPrice.push(symbol.slice(0, -QUOTE_ASSET.length));
      return current;
    }
    return open;
  });
  return { ...valuation, atCurrentPrice };
}
