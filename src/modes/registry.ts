/**
 * @module modes/registry — every monitor mode, by name. Adding a mode is one line in BUILT_IN_MODES.
 *
 * test/unit/modes-registry.test.ts fails if a folder of src/modes/ is missing here.
 */
import type { AlertEvent } from '../events/index.js';
import { liquidationsMode } from './liquidations/index.js';
import { marketMode } from './market/index.js';
import type { Mode } from './mode.js';
import { portfolioMode } from './portfolio/index.js';
import { positionsMode } from './positions/index.js';

export const BUILT_IN_MODES: readonly Mode[] = [marketMode, portfolioMode, liquidationsMode, positionsMode];

/** The modes a configuration may use. Tests and embedders may register their own. */
export class ModeRegistry {
  private readonly modes = new Map<string, Mode>();
  private readonly byEventType = new Map<string, Mode>();
  /** Changes identity whenever a mode is added, so schemas built from the registry are rebuilt. */
  version: object = {};

  constructor(modes: readonly Mode[] = BUILT_IN_MODES) {
    for (const mode of modes) this.register(mode);
  }

  /** Adds a mode; its name and event type must be new. */
  register(mode: Mode): this {
    if (this.modes.has(mode.name)) throw new Error(`a mode named "${mode.name}" is already registered`);
    const types = [mode.eventType, ...(mode.otherEventTypes ?? [])];
    for (const type of types) {
      if (this.byEventType.has(type)) throw new Error(`event type "${type}" already belongs to mode "${this.byEventType.get(type)!.name}"`);
    }
    this.modes.set(mode.name, mode);
    for (const type of types) this.byEventType.set(type, mode);
    this.version = {};
    return this;
  }

  get(name: string): Mode | undefined {
    return this.modes.get(name);
  }

  names(): string[] {
    return [...this.modes.keys()];
  }

  all(): Mode[] {
    return [...this.modes.values()];
  }

  /** The mode that raised an event, by its type. */
  modeOf(event: AlertEvent): Mode | undefined {
    return this.byEventType.get(event.type);
  }
}

/** The built-in modes. */
export const MODES = new ModeRegistry();
