/**
 * @module modes/market/severity — a price alert's severity is the size of the move (conditions.md §4).
 */
import { changeSeverity, type SeverityRule } from '../../condition/index.js';

/** m ≥ 50 critical, ≥ 25 high, ≥ 10 medium, else low; medium without a previous price. */
export const marketSeverity: SeverityRule = changeSeverity;
