import { z } from 'zod';
import type { PrimaryObject } from './event-definition';
import { visitorTokenSchema } from './visitor-token';

/** Limits of the completion endpoints, beyond the source material's property limits in `LIMITS`. */
export const COMPLETION_LIMITS = {
  batchMaxInputs: 500,
  /** Clients' clocks drift, but future events are not supported: this much ahead of the server is tolerated. */
  futureSkewMs: 5 * 60_000,
  emailMaxLength: 254,
  objectIdMaxLength: 64,
  uuidMaxLength: 100,
  readDefaultLimit: 100,
  readMaxLimit: 500,
  readMaxIds: 100,
  /** Most `property.{name}` filters one read may combine. */
  readMaxPropertyFilters: 10,
} as const;

/** `pe{portalId}_{internal name}`, HubSpot's fully qualified event name. */
export const FULLY_QUALIFIED_EVENT_NAME_PATTERN = /^pe(\d{1,15})_([a-z][a-z0-9_-]{0,49})$/;
const COMPLETION_ID_LIST_PATTERN = new RegExp(`^\\d{1,16}(,\\d{1,16}){0,${COMPLETION_LIMITS.readMaxIds - 1}}$`);
const OBJECT_TYPE_PATTERN = /^(contact|company|deal|ticket|0-1|0-2|0-3|0-5)$/i;

/** Splits a fully qualified event name, or undefined when it is not one. */
export function parseFullyQualifiedEventName(value: string): { portalId: number; name: string } | undefined {
  const match = FULLY_QUALIFIED_EVENT_NAME_PATTERN.exec(value);
  return match ? { portalId: Number(match[1]), name: match[2]! } : undefined;
}

// --- Timestamps ----------------------------------------------------------------------------------

/** Largest magnitude a JS Date can hold (±273,790 years). */
const MAX_DATE_MS = 8.64e15;
const EPOCH_MS_PATTERN = /^-?\d{1,16}$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Epoch milliseconds of an ISO 8601 date or date-time, or of epoch milliseconds (as a number or a
 * string of digits); undefined when the value is neither or names an impossible date (2023-02-30).
 * A date-time without an offset is read as UTC, so the result never depends on the server's zone.
 */
export function parseTimestamp(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS ? value : undefined;
  if (EPOCH_MS_PATTERN.test(value)) return parseTimestamp(Number(value));
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC maps years below 100 to 19xx, so set the year separately.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  const offset = offsetMinutes(match[8]);
  return offset === undefined ? undefined : date.getTime() - offset * 60_000;
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

// --- Request and response schemas ------------------------------------------------------------------

/** A property value as sent; HubSpot integrations send strings, JS callers numbers and booleans too. */
export const completionPropertyValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'a property value must be a string, a number or a boolean',
});
export type CompletionPropertyValue = z.infer<typeof completionPropertyValueSchema>;

/**
 * One completion, as `POST /events/v3/send` takes it and each of `inputs` of the batch endpoint.
 * Definition-independent rules live here; the server's `checkCompletionInput`
 * (`server/ingest/check-completion.ts`) applies the event definition.
 */
export const completionInputSchema = z
  .object({
    eventName: z
      .string()
      .regex(FULLY_QUALIFIED_EVENT_NAME_PATTERN, 'eventName must be the fully qualified name pe{portalId}_{name}')
      .describe('Fully qualified name of the event: pe{portalId}_{internal name}.'),
    email: z
      .email('email must be an email address')
      .max(COMPLETION_LIMITS.emailMaxLength, `email must be at most ${COMPLETION_LIMITS.emailMaxLength} characters`)
      .optional()
      .describe('Identifies a contact (case-insensitive); a new email creates the contact.'),
    utk: visitorTokenSchema
      .optional()
      .describe(
        "The visitor's tracking cookie: a known utk resolves to its contact; sent with an email, it is linked to that contact.",
      ),
    objectId: z
      .union(
        [
          z.string().min(1).max(COMPLETION_LIMITS.objectIdMaxLength),
          z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        ],
        {
          error: `objectId must be a non-negative integer or a string of 1 to ${COMPLETION_LIMITS.objectIdMaxLength} characters`,
        },
      )
      .optional()
      .describe(
        "Id of the record of the event's primary object: an existing contact id for contact events, stored as given otherwise.",
      ),
    occurredAt: z
      .union([z.string(), z.number()], { error: 'occurredAt must be an ISO 8601 date-time or epoch milliseconds' })
      .optional()
      .describe(
        'ISO 8601 date-time (UTC when it has no offset) or epoch milliseconds; at most 5 minutes in the future; defaults to the time the server received it.',
      ),
    properties: z
      .record(z.string(), completionPropertyValueSchema)
      .optional()
      .describe(
        'At most 50; names lower-cased, ^[a-z][a-z0-9_]*$, at most 50 characters; values at most 256 characters (1024 for url, referrer, hs_url, hs_referrer) and of the property type.',
      ),
    uuid: z
      .string()
      .min(1, 'uuid must not be empty')
      .max(COMPLETION_LIMITS.uuidMaxLength, `uuid must be at most ${COMPLETION_LIMITS.uuidMaxLength} characters`)
      .optional()
      .describe(
        'Idempotency key: a completion whose uuid the portal already has is accepted (204) but not stored again.',
      ),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.email === undefined && input.utk === undefined && input.objectId === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'identify the record: send email, utk or objectId' });
    }
    if (input.objectId !== undefined && (input.email !== undefined || input.utk !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectId'],
        message: 'send objectId alone: email and utk identify a contact by themselves',
      });
    }
    if (input.occurredAt !== undefined) {
      const problem = occurredAtProblem(input.occurredAt, Date.now());
      if (problem) ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: problem });
    }
  });
export type CompletionInput = z.infer<typeof completionInputSchema>;

function occurredAtProblem(value: string | number, now: number): string | undefined {
  const time = parseTimestamp(value);
  if (time === undefined) return 'occurredAt must be an ISO 8601 date-time or epoch milliseconds';
  if (time < 0) return 'occurredAt must not be before 1970-01-01';
  if (time > now + COMPLETION_LIMITS.futureSkewMs) {
    return `occurredAt ${new Date(time).toISOString()} is in the future; future dates are not supported`;
  }
  return undefined;
}

/** Body of `POST /events/v3/send/batch`. */
export const completionBatchSchema = z
  .object({
    inputs: z
      .array(completionInputSchema)
      .min(1, 'inputs must hold at least one completion')
      .max(COMPLETION_LIMITS.batchMaxInputs, `a batch holds at most ${COMPLETION_LIMITS.batchMaxInputs} inputs`),
  })
  .strict();
export type CompletionBatch = z.infer<typeof completionBatchSchema>;

/** The batch body's envelope alone: the server checks each input on its own to report every bad one. */
export const completionBatchEnvelopeSchema = completionBatchSchema.extend({
  inputs: z
    .array(z.unknown())
    .min(1, 'inputs must hold at least one completion')
    .max(COMPLETION_LIMITS.batchMaxInputs, `a batch holds at most ${COMPLETION_LIMITS.batchMaxInputs} inputs`),
});

export const completionObjectTypeSchema = z.enum(['contact', 'company', 'deal', 'ticket']);
export type CompletionObjectType = z.infer<typeof completionObjectTypeSchema>;

const OBJECT_TYPES: Record<string, PrimaryObject> = {
  contact: 'CONTACT',
  '0-1': 'CONTACT',
  company: 'COMPANY',
  '0-2': 'COMPANY',
  deal: 'DEAL',
  '0-3': 'DEAL',
  ticket: 'TICKET',
  '0-5': 'TICKET',
};

/** `contact` / `0-1` (HubSpot's object type id), any case → `CONTACT`; undefined when unknown. */
export function primaryObjectOf(objectType: string): PrimaryObject | undefined {
  return OBJECT_TYPES[objectType.toLowerCase()];
}

/** Query of `GET /events/v3/events`; every parameter is optional, unknown ones are rejected. */
export const completionQuerySchema = z
  .object({
    objectType: z
      .string()
      .regex(OBJECT_TYPE_PATTERN, 'objectType must be contact, company, deal or ticket (or 0-1, 0-2, 0-3, 0-5)')
      .optional(),
    objectId: z.string().min(1).max(COMPLETION_LIMITS.objectIdMaxLength).optional(),
    eventType: z
      .string()
      .regex(FULLY_QUALIFIED_EVENT_NAME_PATTERN, 'eventType must be the fully qualified name pe{portalId}_{name}')
      .optional(),
    occurredAfter: z
      .string()
      .optional()
      .describe('Only completions that occurred strictly after this ISO date-time or epoch milliseconds.'),
    occurredBefore: z
      .string()
      .optional()
      .describe('Only completions that occurred strictly before this ISO date-time or epoch milliseconds.'),
    limit: z
      .string()
      .regex(/^\d+$/, 'limit must be a whole number')
      // Non-numbers are the regex's to report; this names only the range.
      .refine(
        (value) => !/^\d+$/.test(value) || (Number(value) >= 1 && Number(value) <= COMPLETION_LIMITS.readMaxLimit),
        {
          message: `limit must be between 1 and ${COMPLETION_LIMITS.readMaxLimit}`,
        },
      )
      .optional(),
    after: z.string().max(200).optional().describe('The cursor returned in paging.next.after: the next page.'),
    before: z
      .string()
      .max(200)
      .optional()
      .describe('The cursor returned in paging.prev.before: the previous page (not with after).'),
    sort: z
      .enum(['occurredAt', '-occurredAt'], {
        error: 'sort must be occurredAt (oldest first) or -occurredAt (newest first, the default)',
      })
      .optional()
      .describe('occurredAt (oldest first) or -occurredAt (newest first, the default).'),
    id: z
      .string()
      .regex(
        COMPLETION_ID_LIST_PATTERN,
        `id must be completion ids (digits), comma-separated or repeated, at most ${COMPLETION_LIMITS.readMaxIds}`,
      )
      .optional()
      .describe(`Only these completions: ids comma-separated or repeated (at most ${COMPLETION_LIMITS.readMaxIds}).`),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.after !== undefined && query.before !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['before'], message: 'send after or before, not both' });
    }
    if (query.objectId !== undefined && query.objectType === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectId'],
        message: 'objectId needs objectType (ids are per object type)',
      });
    }
    for (const key of ['occurredAfter', 'occurredBefore'] as const) {
      const value = query[key];
      if (value !== undefined && parseTimestamp(value) === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} must be an ISO 8601 date-time or epoch milliseconds`,
        });
      }
    }
  });
export type CompletionQuery = z.infer<typeof completionQuerySchema>;

/** One stored completion as `GET /events/v3/events` returns it (property values as strings, like HubSpot). */
export const completionSchema = z.object({
  id: z.string(),
  eventType: z.string(),
  objectType: completionObjectTypeSchema,
  objectId: z.string(),
  occurredAt: z.string(),
  properties: z.record(z.string(), z.string()),
});
export type Completion = z.infer<typeof completionSchema>;

export const completionListSchema = z.object({
  results: z.array(completionSchema),
  paging: z
    .object({
      next: z.object({ after: z.string() }).optional(),
      prev: z.object({ before: z.string() }).optional(),
    })
    .optional(),
});
export type CompletionList = z.infer<typeof completionListSchema>;

/** Answer of `GET /events/v3/events/event-types`: the fully qualified names of the portal's events. */
export const eventTypesSchema = z.object({ eventTypes: z.array(z.string()) });
export type EventTypes = z.infer<typeof eventTypesSchema>;
