/**
 * @module modes/portfolio/severity — a level alert by its distance to the threshold, a change alert by its size (conditions.md §4).
 */
import { levelOrChangeSeverity, type SeverityRule } from '../../condition/index.js';

export const portfolioSeverity: SeverityRule = levelOrChangeSeverity;
