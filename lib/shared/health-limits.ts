/**
 * Selector-health constants without zod, so the site tracker can import them (a module that
 * builds schemas at load time would pull zod into tracker.js).
 */

/** Default share of page views whose triggers the tracker checks and reports (the portal may change it). */
export const DEFAULT_HEALTH_SAMPLE_RATE = 0.1;
/** Most checks one page view may report: one per click definition of the portal. */
export const HEALTH_MAX_CHECKS = 500;
