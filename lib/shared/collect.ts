import { z } from 'zod';
import { healthReportSchema } from './health';
import { visitorTokenSchema } from './visitor-token';

/** Most completions one collect request may carry (the tracker flushes long before that). */
export const COLLECT_MAX_EVENTS = 100;

export const collectEventSchema = z.object({
  /** Fully qualified name, `pe{portalId}_{name}`. */
  eventName: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true }),
  /** Set by the tracker so retries after a lost response are stored once. */
  uuid: z.string().min(8).max(64),
  /** Lenient on purpose: the server truncates like the JS API instead of rejecting. */
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type CollectEvent = z.input<typeof collectEventSchema>;

/** Body of `POST /t/{portalId}/collect`, sent as text/plain JSON so browsers skip the preflight. */
export const collectBodySchema = z
  .object({
    /** Absent only for anonymous completions of a portal in the `cookieless` consent mode. */
    utk: visitorTokenSchema.optional(),
    /** Set once the site called `identify({email})`: links the visitor to a contact. */
    email: z.email().max(254).optional(),
    events: z.array(z.unknown()).max(COLLECT_MAX_EVENTS).default([]),
    /** A sampled page view's selector-health report (issue 9); it may come without events. */
    health: healthReportSchema.optional(),
  })
  .refine((body) => body.events.length > 0 || body.health !== undefined, {
    path: ['events'],
    message: 'a collect request carries at least one event or a health report',
  })
  .refine((body) => body.email === undefined || body.utk !== undefined, {
    path: ['email'],
    message: 'email is sent only with the visitor token utk (anonymous completions carry neither)',
  });
export type CollectBody = z.input<typeof collectBodySchema>;

/** Answer of the collect endpoint: stored count, and why others were left out (by index). */
export const collectResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), message: z.string() })),
  /** Completions left out without being stored because they came from a bot (crawler, headless browser). */
  dropped: z.number().int().optional(),
  /** Checks of the request's health report counted, and those ignored (unknown or repeated definitions, pages outside their URL rule). */
  health: z.object({ accepted: z.number().int(), ignored: z.number().int() }).optional(),
});
export type CollectResult = z.infer<typeof collectResultSchema>;
