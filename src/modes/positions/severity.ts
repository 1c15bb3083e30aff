/**
 * @module modes/positions/severity — a level condition by its distance to the threshold (the
 * portfolio level rule: `<< 10` at 2 % is critical, at 4 % high, at 7 % medium, at 9 % low), a
 * change condition by the change's size (aster-accounts.md §5, conditions.md §4).
 */
import { levelOrChangeSeverity, type SeverityRule } from '../../condition/index.js';

export const positionsSeverity: SeverityRule = levelOrChangeSeverity;
