/**
 * @module modes/registry — every monitor mode, by name.
 */
import type { MonitorMode } from '../condition/index.js';
import { marketMode } from './market.js';
import type { Mode } from './mode.js';
import { portfolioMode } from './portfolio.js';

export const MODES: Readonly<Record<MonitorMode, Mode>> = {
  market: marketMode,
  portfolio: portfolioMode,
};
