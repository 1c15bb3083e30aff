/**
 * @module modes/market/check — one subject per asset: its price against its condition.
 */
import type { CompiledCondition } from '../../condition/index.js';
import type { MonitorConfig } from '../../config/model.js';
import type { Need, PriceSnapshot, SourceCatalog } from '../../sources/index.js';
import type { AlertEvent } from '../../events/index.js';
import type { SubjectState } from '../../store/index.js';
import { NOTHING, type MonitorCheck, type PolledCheck, type ReadInputs, type RoundInputs, type SubjectOutcome } from '../mode.js';
import { isFresh } from '../previous.js';
import { marketEvent } from './event.js';
import { MarketReading } from './reading.js';
import { marketSeverity } from './severity.js';
import type { MarketSettings, MarketSubjectConfig as MarketSubject } from './settings.js';

export function bindMarket(monitor: MonitorConfig<MarketSettings>, sources: SourceCatalog): PolledCheck {
  return new MarketCheck(monitor, pricesOf(sources.prices));
}

/** What every market monitor of one catalog reads: its prices, and the list of needs naming them. */
interface PriceNeeds {
  prices: Need<PriceSnapshot>;
  needs: readonly Need<unknown>[];
}

/** Every monitor of one catalog reads the same prices: one object for all of them (one field a check, not two). */
let lastPrices: PriceNeeds | null = null;
function pricesOf(prices: Need<PriceSnapshot>): PriceNeeds {
  if (lastPrices?.prices !== prices) lastPrices = { prices, needs: Object.freeze([prices]) };
  return lastPrices;
}

/**
 * A bound market monitor: one object with its methods on the prototype rather than three
 * closures and their context per monitor (about 270 bytes a monitor, kept for the monitor's
 * life: 270 MB at 1,000,000 monitors, all of it marked by every full collection).
 */
class MarketCheck implements PolledCheck {
  /**
   * What every check reads, held here rather than reached through the configuration: the
   * monitors' configurations lie scattered over the heap, and following monitor → settings →
   * assets missed the processor's cache at each step (half of a check's time at 10,000
   * monitors). The checks are made one after another, so a round reads them in a row.
   */
  private readonly name: string;
  private readonly count: number;
  private readonly assets: readonly MarketSubject[];
  private readonly alerting: boolean;
  // The first (most often the only) asset's parts: no step into the list and the subject.
  private readonly firstAsset: string;
  private readonly firstSymbol: string;
  private readonly firstCondition: CompiledCondition | undefined;

  // Kept to the fields a check reads (each is 8 bytes a monitor, 8 MB at 1,000,000): the
  // catalog's prices and needs are one shared object, and events need only the monitor's name.
  constructor(
    monitor: MonitorConfig<MarketSettings>,
    private readonly source: PriceNeeds,
  ) {
    this.name = monitor.name;
    this.assets = monitor.settings.assets;
    this.count = this.assets.length;
    this.alerting = monitor.alerting.active;
    const first = this.assets[0];
    this.firstAsset = first?.asset ?? '';
    this.firstSymbol = first?.symbol ?? '';
    this.firstCondition = first?.condition;
  }

  get needs(): readonly Need<unknown>[] {
    return this.source.needs;
  }

  /** The symbols check() will ask the baseline for: assets without fresh state that have a price now (no price: the check fails for it before asking). */
  baselineSymbols(states: ReadonlyMap<string, SubjectState>, inputs: ReadInputs, into: Set<string>): void {
    let snapshot: PriceSnapshot;
    try {
      snapshot = inputs.read(this.source.prices);
    } catch {
      return; // the check reports it
    }
    const assets = this.assets;
    for (let a = 0; a < assets.length; a++) {
      const { asset, symbol } = assets[a]!;
      if (!isFresh(states.get(asset), inputs.checkedAt) && snapshot.price(symbol) !== undefined) into.add(symbol);
    }
  }

  // The hot path of a round (10,000 monitors): no closure or intermediate object per subject,
  // lists sized once, and the shared empty list where nothing happened (about 830 bytes a
  // monitor a round before, most of a quiet round's garbage).
  check(states: ReadonlyMap<string, SubjectState>, inputs: RoundInputs): MonitorCheck {
    const name = this.name;
    const assets = this.assets;
    const snapshot = inputs.read(this.source.prices);
    const { checkedAt } = inputs;
    // One reading per asset is both its outcome and its state write (see reading.ts), and one
    // list serves as both lists.
    const count = this.count;
    const readings: MarketReading[] = new Array(count);
    let evaluated = 0;
    let events: AlertEvent[] = NOTHING;
    let errors: string[] = NOTHING;
    let warnings: string[] = NOTHING;
    for (let a = 0; a < count; a++) {
      const asset = a === 0 ? this.firstAsset : assets[a]!.asset;
      const symbol = a === 0 ? this.firstSymbol : assets[a]!.symbol;
      const condition = a === 0 ? this.firstCondition! : assets[a]!.condition;
      const current = snapshot.price(symbol);
      if (current === undefined) {
        if (errors === NOTHING) errors = [];
        errors.push(snapshot.problem(symbol)?.message ?? `no price for ${symbol} in the exchange's ticker; is ${asset} listed against USDT?`);
        continue;
      }
      // conditions.md §5: fresh state gives previous and armed; otherwise the 24 h baseline, armed.
      const state = states.get(asset);
      let previous: number | null;
      let armed: boolean;
      let previousFrom: SubjectOutcome['previousFrom'];
      if (isFresh(state, checkedAt)) {
        previous = state.value;
        armed = state.armed;
        previousFrom = 'state';
      } else {
        previous = inputs.baseline.openPrice(symbol) ?? null;
        armed = true;
        previousFrom = previous === null ? 'none' : 'baseline';
      }
      if (previousFrom === 'none' && condition.needsPrevious) {
        if (warnings === NOTHING) warnings = [];
        warnings.push(`${symbol}: no 24-hour baseline; "${condition.source}" is not evaluable until the next check`);
      }
      const evaluation = condition.test(current, previous, armed);
      const reading = new MarketReading(name, asset, current, previous, previousFrom, evaluation, checkedAt);
      // The lifecycle's reminders and resolved notices carry this check's measures.
      if (this.alerting) {
        const subject = assets[a]!;
        reading.raise = (discriminator) => buildMarketEvent(name, subject, current, previous, inputs.roundTime, checkedAt, discriminator);
      }
      readings[evaluated++] = reading;
      if (evaluation.fires) {
        if (events === NOTHING) events = [];
        events.push(buildMarketEvent(name, assets[a]!, current, previous, inputs.roundTime, checkedAt));
      }
    }
    if (evaluated < count) readings.length = evaluated;
    return { monitor: name, states: readings, forget: NOTHING, events, subjects: readings, errors, warnings };
  }
}

function buildMarketEvent(
  monitor: string,
  subject: MarketSubject,
  current: number,
  previous: number | null,
  roundTime: number,
  checkedAt: number,
  discriminator?: string,
): AlertEvent {
  return marketEvent(
    {
      monitor,
      condition: subject.condition.source,
      severity: subject.condition.severity({ current, previous }, marketSeverity),
      roundTime,
      checkedAt: new Date(checkedAt),
      ...(discriminator !== undefined && { discriminator }),
    },
    { asset: subject.asset, symbol: subject.symbol, current, previous },
  );
}
