/**
 * The analytics and contact-timeline API (Clicktrail's own; HubSpot has no public API for these):
 * query parameters as the server validates them and responses as clients parse them.
 */
import { z } from 'zod';
import { dayNumberOf, isValidTimeZone } from './local-dates';

export const ANALYTICS_LIMITS = {
  /** Buckets in one series (366 days = a leap year of daily points). */
  maxBuckets: 366,
  /** Events in one `GET /analytics/v1/series`. */
  maxSeriesEvents: 10,
  breakdownDefaultLimit: 10,
  breakdownMaxLimit: 100,
  funnelMinSteps: 2,
  funnelMaxSteps: 5,
  /** Longest funnel conversion window. */
  funnelMaxWindowDays: 90,
  funnelDefaultWindow: 'P7D',
  /** Default range when `from`/`to` are left out: the last 30 days, today included. */
  defaultRangeDays: 30,
  timelineDefaultLimit: 50,
  timelineMaxLimit: 200,
} as const;

export const intervalSchema = z.enum(['day', 'week', 'month']);
export type AnalyticsInterval = z.infer<typeof intervalSchema>;
export const weekStartSchema = z.enum(['monday', 'sunday']);
export type WeekStart = z.infer<typeof weekStartSchema>;

export const localDateSchema = (name: string) =>
  z
    .string()
    .refine((value) => dayNumberOf(value) !== undefined, { message: `${name} must be a calendar date YYYY-MM-DD` });

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'timeZone must be an IANA time zone such as Europe/Stockholm or UTC' })
  .describe('IANA time zone the dates and buckets are in (default UTC).');

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .refine((value) => !/^\d+$/.test(value) || (Number(value) >= min && Number(value) <= max), {
      message: `${name} must be between ${min} and ${max}`,
    });

/** The date range shared by every analytics query: inclusive local dates in `timeZone`. */
const rangeShape = {
  from: localDateSchema('from').optional().describe('First local date, inclusive (default: 29 days before `to`).'),
  to: localDateSchema('to').optional().describe('Last local date, inclusive (default: today in timeZone).'),
  timeZone: timeZoneSchema.optional(),
};

export const seriesQuerySchema = z
  .object({
    ...rangeShape,
    interval: intervalSchema.optional().describe('day (default), week or month'),
    weekStart: weekStartSchema.optional().describe('First day of a week bucket: monday (default) or sunday.'),
  })
  .strict();
export type SeriesQuery = z.infer<typeof seriesQuerySchema>;

export const multiSeriesQuerySchema = seriesQuerySchema
  .extend({
    eventName: z
      .array(z.string().min(1).max(100))
      .min(1, 'eventName is required (repeat it for several events)')
      .max(ANALYTICS_LIMITS.maxSeriesEvents, `at most ${ANALYTICS_LIMITS.maxSeriesEvents} eventName values`),
  })
  .strict();
export type MultiSeriesQuery = z.infer<typeof multiSeriesQuerySchema>;

export const breakdownQuerySchema = z
  .object({
    ...rangeShape,
    property: z.string().min(1, 'property is required').max(100),
    limit: wholeNumber('limit', 1, ANALYTICS_LIMITS.breakdownMaxLimit).optional(),
  })
  .strict();
export type BreakdownQuery = z.infer<typeof breakdownQuerySchema>;

/** ISO 8601 durations of days, hours, minutes and seconds (`P7D`, `PT12H`, `P1DT6H`); no months or years. */
export const FUNNEL_WINDOW_PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds of a window such as `P7D`, or undefined when it is not one. */
export function parseFunnelWindow(window: string): number | undefined {
  const match = FUNNEL_WINDOW_PATTERN.exec(window);
  if (!match || window === 'P' || window.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const ms = ((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
  return ms > 0 ? ms : undefined;
}

export const funnelQuerySchema = z
  .object({
    ...rangeShape,
    step: z
      .array(z.string().min(1).max(100))
      .min(ANALYTICS_LIMITS.funnelMinSteps, `a funnel needs ${ANALYTICS_LIMITS.funnelMinSteps} to 5 step values`)
      .max(ANALYTICS_LIMITS.funnelMaxSteps, `a funnel has at most ${ANALYTICS_LIMITS.funnelMaxSteps} steps`),
    window: z
      .string()
      .refine((value) => parseFunnelWindow(value) !== undefined, {
        message: 'window must be an ISO 8601 duration of weeks, days, hours, minutes or seconds, such as P7D or PT12H',
      })
      .refine((value) => (parseFunnelWindow(value) ?? 0) <= ANALYTICS_LIMITS.funnelMaxWindowDays * 86_400_000, {
        message: `window must be at most ${ANALYTICS_LIMITS.funnelMaxWindowDays} days`,
      })
      .optional()
      .describe('How long after a contact’s first step the later steps count (default P7D).'),
  })
  .strict();
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

export const countsSchema = z.object({
  completions: z.number().int().nonnegative(),
  /** Distinct contacts (distinct records for events of other objects); over a range, not a sum of buckets. */
  uniqueContacts: z.number().int().nonnegative(),
});
export type AnalyticsCounts = z.infer<typeof countsSchema>;

export const seriesPointSchema = countsSchema.extend({ start: z.string() });
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const seriesSchema = z.object({
  eventName: z.string(),
  label: z.string(),
  archived: z.boolean(),
  interval: intervalSchema,
  timeZone: z.string(),
  weekStart: weekStartSchema,
  from: z.string(),
  to: z.string(),
  totals: countsSchema,
  points: z.array(seriesPointSchema),
});
export type Series = z.infer<typeof seriesSchema>;

export const multiSeriesSchema = z.object({
  interval: intervalSchema,
  timeZone: z.string(),
  weekStart: weekStartSchema,
  from: z.string(),
  to: z.string(),
  series: z.array(seriesSchema),
});
export type MultiSeries = z.infer<typeof multiSeriesSchema>;

export const breakdownValueSchema = countsSchema.extend({ value: z.string(), label: z.string() });
export type BreakdownValue = z.infer<typeof breakdownValueSchema>;

export const breakdownSchema = z.object({
  eventName: z.string(),
  property: z.string(),
  propertyLabel: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  totals: countsSchema,
  values: z.array(breakdownValueSchema),
  /** Values beyond `limit`, and values that are not options of an enumeration. */
  other: countsSchema,
  /** Completions without the property. */
  missing: countsSchema,
});
export type Breakdown = z.infer<typeof breakdownSchema>;

export const funnelStepSchema = z.object({
  eventName: z.string(),
  label: z.string(),
  /** Contacts who reached this step (after every earlier step, within the window of the first). */
  contacts: z.number().int().nonnegative(),
  /** contacts / the previous step's contacts (1 for the first step; 0 when the previous had none). */
  conversionFromPrevious: z.number().min(0).max(1),
  /** contacts / the first step's contacts (0 when it had none). */
  conversionFromFirst: z.number().min(0).max(1),
});
export type FunnelStep = z.infer<typeof funnelStepSchema>;

export const funnelSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  window: z.string(),
  steps: z.array(funnelStepSchema),
});
export type Funnel = z.infer<typeof funnelSchema>;

// --- Contacts and their timeline ------------------------------------------------------------------

export const contactQuerySchema = z
  .object({
    email: z.string().min(3).max(254).optional(),
    utk: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((query) => (query.email === undefined) !== (query.utk === undefined), {
    message: 'give exactly one of email or utk',
    path: ['email'],
  });
export type ContactQuery = z.infer<typeof contactQuerySchema>;

export const contactSchema = z.object({
  id: z.string(),
  /** Null for an anonymous visitor known only by a utk. */
  email: z.string().nullable(),
  createdAt: z.string(),
  utks: z.array(z.string()),
});
export type Contact = z.infer<typeof contactSchema>;

export const timelineQuerySchema = z
  .object({
    eventName: z.array(z.string().min(1).max(100)).max(50, 'at most 50 eventName values').optional(),
    after: z.string().max(200).optional().describe('The cursor returned in paging.next.after.'),
    limit: wholeNumber('limit', 1, ANALYTICS_LIMITS.timelineMaxLimit).optional(),
  })
  .strict();
export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export const timelinePropertySchema = z.object({
  name: z.string(),
  /** The property's label, or its name for a default or since-deleted property. */
  label: z.string(),
  value: z.string(),
  /** Enumeration values by their option labels (`;`-separated values each), else the value. */
  displayValue: z.string(),
});
export type TimelineProperty = z.infer<typeof timelinePropertySchema>;

export const timelineEntrySchema = z.object({
  id: z.string(),
  eventName: z.string(),
  /** The fully qualified name, `pe{portalId}_{name}`. */
  eventType: z.string(),
  eventLabel: z.string(),
  occurredAt: z.string(),
  properties: z.array(timelinePropertySchema),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.object({
  contactId: z.string(),
  results: z.array(timelineEntrySchema),
  paging: z.object({ next: z.object({ after: z.string() }) }).optional(),
});
export type Timeline = z.infer<typeof timelineSchema>;
