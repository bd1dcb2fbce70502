import { z } from 'zod';
import { HEALTH_MAX_CHECKS } from './health-limits';

/**
 * How a click trigger found its element on a page: its primary selector, one of its alternative
 * selectors, or only its fingerprint (every stored selector broke; re-picking makes it robust
 * again) — or `none`: the page is under the URL rule and nothing was found.
 */
export const HEALTH_SIGNALS = ['selector', 'alternative', 'fingerprint', 'none'] as const;
export const healthSignalSchema = z.enum(HEALTH_SIGNALS);
export type HealthSignal = z.infer<typeof healthSignalSchema>;

export { DEFAULT_HEALTH_SAMPLE_RATE, HEALTH_MAX_CHECKS } from './health-limits';

/**
 * A sampled page view's selector-health report, sent in the collect request's `health` field:
 * the page's path and, for the click definitions under their URL rule that it checked (a random
 * few within the tracker's time budget, see lib/tracker/health.ts), how each trigger found its
 * element(s). The server counts it as one page view for each definition it names.
 */
export const healthReportSchema = z.object({
  /** `location.pathname` of the page (no query or fragment: they may carry personal data). */
  path: z
    .string()
    .max(1024)
    .regex(/^\/[^?#]*$/, 'path is a URL path starting with / (no query or fragment)'),
  checks: z
    .array(z.object({ eventName: z.string().min(1).max(100), signal: healthSignalSchema }))
    .min(1)
    .max(HEALTH_MAX_CHECKS),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

/** Counts of sampled page views of one definition, overall or on one path. */
export const healthCountsSchema = z.object({
  /** Sampled page views under the definition's URL rule on which the definition was checked. */
  pageViews: z.number().int(),
  /** Of those, the ones where the trigger found its element(s). */
  matched: z.number().int(),
  /** Of the matched, the ones found by an alternative selector or the fingerprint, not the primary selector. */
  viaFallback: z.number().int(),
  /** Of `viaFallback`, the ones found by the fingerprint alone (every stored selector broke). */
  viaFingerprint: z.number().int(),
  lastMatchedAt: z.string().nullable(),
  /** Last sampled page view where the trigger found nothing. */
  lastMissedAt: z.string().nullable(),
});

/** `GET /events/v3/event-definitions/{eventName}/health?days=N`. */
export const definitionHealthSchema = healthCountsSchema.extend({
  eventName: z.string(),
  days: z.number().int(),
  /** Per path, most page views first. */
  paths: z.array(healthCountsSchema.extend({ path: z.string() })),
});
export type DefinitionHealth = z.infer<typeof definitionHealthSchema>;

/** `GET|PATCH /settings/v1/tracking`: how the portal's tracker samples what it reports. */
export const trackingSettingsSchema = z.object({
  /** Share of page views (0–1) whose click triggers the tracker checks and reports; 0 turns health off. */
  healthSampleRate: z.number().min(0).max(1),
  updatedAt: z.string().nullable(),
});
export type TrackingSettings = z.infer<typeof trackingSettingsSchema>;
export const trackingSettingsPatchSchema = trackingSettingsSchema.omit({ updatedAt: true }).partial().strict();
export type TrackingSettingsPatch = z.infer<typeof trackingSettingsPatchSchema>;
