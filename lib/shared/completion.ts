import { z } from 'zod';
import type { ErrorDetail } from './api-error';
import type { PrimaryObject, PropertyType } from './event-definition';
import { DEFAULT_EVENT_PROPERTIES, LIMITS, URL_PROPERTY_NAMES } from './limits';
import { PROPERTY_NAME_PATTERN } from './names';

/** Limits of the completion endpoints, beyond the source material's property limits in `LIMITS`. */
export const COMPLETION_LIMITS = {
  batchMaxInputs: 500,
  /** Clients' clocks drift, but future events are not supported: this much ahead of the server is tolerated. */
  futureSkewMs: 5 * 60_000,
  emailMaxLength: 254,
  utkMaxLength: 128,
  objectIdMaxLength: 64,
  uuidMaxLength: 100,
  readDefaultLimit: 100,
  readMaxLimit: 500,
} as const;

/** `pe{portalId}_{internal name}`, HubSpot's fully qualified event name. */
export const FULLY_QUALIFIED_EVENT_NAME_PATTERN = /^pe(\d{1,15})_([a-z][a-z0-9_-]{0,49})$/;
const UTK_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
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
 * Definition-independent rules live here; `checkCompletionInput` applies the event definition.
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
    utk: z
      .string()
      .regex(UTK_PATTERN, 'utk must be 1 to 128 letters, digits, ".", "_" or "-"')
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
    after: z.string().max(200).optional().describe('The cursor returned in paging.next.after.'),
  })
  .strict()
  .superRefine((query, ctx) => {
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
  paging: z.object({ next: z.object({ after: z.string() }) }).optional(),
});
export type CompletionList = z.infer<typeof completionListSchema>;

// --- Checking a completion against its event definition ------------------------------------------

/** How one property of an event accepts values. */
export interface CompletionPropertyRule {
  type: PropertyType;
  /** Values of the enumeration's options. */
  options?: ReadonlySet<string>;
}

/** What `checkCompletionInput` needs to know about the event a completion names. */
export interface CompletionTarget {
  name: string;
  primaryObject: PrimaryObject;
  archived: boolean;
  /** The event's own properties by name; default event properties are added by the check. */
  rules: ReadonlyMap<string, CompletionPropertyRule>;
}

/** Rules of an event's properties, from the definition's property list. */
export function completionPropertyRules(
  properties: readonly { name: string; type: PropertyType; options: readonly { value: string }[] }[],
): Map<string, CompletionPropertyRule> {
  return new Map(
    properties.map((property) => [
      property.name,
      property.type === 'enumeration'
        ? { type: property.type, options: new Set(property.options.map((option) => option.value)) }
        : { type: property.type },
    ]),
  );
}

/** A completion that passed every check, ready to store. */
export interface CheckedCompletion {
  occurredAt: number;
  objectType: PrimaryObject;
  email?: string;
  utk?: string;
  objectId?: string;
  /** Stored values: numbers for number properties, ISO strings for datetimes, strings otherwise. */
  properties: Record<string, string | number>;
  uuid?: string;
}

export type CompletionCheck = { ok: true; completion: CheckedCompletion } | { ok: false; errors: ErrorDetail[] };

/**
 * Applies an event definition to a completion that passed `completionInputSchema`: the event must
 * be the caller's, exist and be active; the identity must fit its primary object; every property
 * must obey the source material's limits and its definition. `path` prefixes every error's `in`
 * (`''` for a single send, `inputs.3.` in a batch).
 */
export function checkCompletionInput(
  input: CompletionInput,
  target: CompletionTarget | undefined,
  context: { portalId: number; receivedAt: number; path: string },
): CompletionCheck {
  const { path } = context;
  const parsed = parseFullyQualifiedEventName(input.eventName);
  const errors: ErrorDetail[] = [];
  if (!parsed || parsed.portalId !== context.portalId) {
    errors.push({
      message: `"${input.eventName}" is not an event of portal ${context.portalId}; its events are named pe${context.portalId}_{name}`,
      in: `${path}eventName`,
      code: 'wrong_portal',
    });
    return { ok: false, errors };
  }
  if (!target) {
    errors.push({
      message: `no event named "${parsed.name}" exists (eventName "${input.eventName}"); create its definition first`,
      in: `${path}eventName`,
      code: 'unknown_event',
    });
    return { ok: false, errors };
  }
  if (target.archived) {
    errors.push({
      message: `event "${target.name}" is archived and accepts no new completions`,
      in: `${path}eventName`,
      code: 'archived_event',
    });
  }
  if (target.primaryObject !== 'CONTACT' && input.objectId === undefined) {
    errors.push({
      message: `event "${target.name}" is associated with ${target.primaryObject} records: identify the record with objectId (email and utk identify contacts)`,
      in: `${path}objectId`,
      code: 'object_required',
    });
  }
  const objectId = input.objectId === undefined ? undefined : String(input.objectId);
  if (target.primaryObject === 'CONTACT' && objectId !== undefined && !/^[1-9]\d{0,15}$/.test(objectId)) {
    errors.push({ message: `no contact has the id "${objectId}"`, in: `${path}objectId`, code: 'unknown_object' });
  }
  const properties = validateCompletionProperties(input.properties ?? {}, target.rules, `${path}properties`);
  errors.push(...properties.errors);
  if (errors.length > 0) return { ok: false, errors };

  const completion: CheckedCompletion = {
    occurredAt: input.occurredAt === undefined ? context.receivedAt : parseTimestamp(input.occurredAt)!,
    objectType: target.primaryObject,
    properties: properties.values,
  };
  if (input.email !== undefined) completion.email = input.email.toLowerCase();
  if (input.utk !== undefined) completion.utk = input.utk;
  if (objectId !== undefined) completion.objectId = objectId;
  if (input.uuid !== undefined) completion.uuid = input.uuid;
  return { ok: true, completion };
}

// --- Properties ----------------------------------------------------------------------------------

const NUMBER_PATTERN = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DEFAULT_RULES: ReadonlyMap<string, CompletionPropertyRule> = new Map(
  Object.entries(DEFAULT_EVENT_PROPERTIES).map(([name, type]) => [name, { type }]),
);

/** Shortens user-supplied text quoted in an error so a huge name or value cannot bloat the response. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * Checks and normalises a completion's properties, rejecting (never truncating: that is the JS
 * API's behaviour) anything over the source material's limits:
 * - names are lower-cased, then must match `^[a-z][a-z0-9_]*$` and be at most 50 characters;
 * - names equal after lower-casing are duplicates and only one is used: the first of the original
 *   keys in sorted (code-unit) order, so "PLAN" beats "Plan" beats "plan" and the choice never
 *   depends on the order of the JSON object's keys (the same rule as `truncateProperties`);
 * - at most 50 distinct properties;
 * - values at most 256 characters (1024 for url, referrer, hs_url, hs_referrer);
 * - the property must be defined on the event or be a default event property, and the value must
 *   fit its type: numbers as JSON numbers or numeric strings (stored as numbers), datetimes as epoch
 *   milliseconds or ISO 8601 (stored as ISO in UTC), enumerations as `;`-separated option values.
 */
export function validateCompletionProperties(
  properties: Readonly<Record<string, CompletionPropertyValue>>,
  rules: ReadonlyMap<string, CompletionPropertyRule>,
  path: string,
): { values: Record<string, string | number>; errors: ErrorDetail[] } {
  const chosen = new Map<string, string>();
  for (const key of Object.keys(properties)) {
    const name = key.toLowerCase();
    const current = chosen.get(name);
    if (current === undefined || key < current) chosen.set(name, key);
  }
  const values: Record<string, string | number> = {};
  const errors: ErrorDetail[] = [];
  if (chosen.size > LIMITS.propertiesPerCompletion) {
    errors.push({
      message: `a completion has at most ${LIMITS.propertiesPerCompletion} properties; this one has ${chosen.size}`,
      in: path,
      code: 'too_many_properties',
    });
    return { values, errors };
  }
  for (const [name, key] of chosen) {
    const at = `${path}.${key.length > 60 ? `${key.slice(0, 57)}...` : key}`;
    if (key.length > LIMITS.propertyNameMaxLength) {
      errors.push({
        message: `property name ${quote(key)} is longer than ${LIMITS.propertyNameMaxLength} characters`,
        in: at,
        code: 'too_long',
      });
      continue;
    }
    if (!PROPERTY_NAME_PATTERN.test(name)) {
      errors.push({
        message: `property name ${quote(key)} must start with a letter and contain only a-z, 0-9 and "_"`,
        in: at,
        code: 'invalid_name',
      });
      continue;
    }
    const rule = rules.get(name) ?? DEFAULT_RULES.get(name);
    if (!rule) {
      errors.push({
        message: `${quote(name)} is neither a property of this event nor a default event property; define it on the event first`,
        in: at,
        code: 'unknown_property',
      });
      continue;
    }
    const result = checkValue(name, properties[key]!, rule);
    if (typeof result === 'string' || typeof result === 'number') values[name] = result;
    else errors.push({ ...result, in: at });
  }
  return { values, errors };
}

function checkValue(
  name: string,
  value: CompletionPropertyValue,
  rule: CompletionPropertyRule,
): string | number | { message: string; code: string } {
  const text = String(value);
  const max = URL_PROPERTY_NAMES.has(name) ? LIMITS.urlPropertyValueMaxLength : LIMITS.propertyValueMaxLength;
  if (text.length > max)
    return { message: `the value of "${name}" is longer than ${max} characters`, code: 'too_long' };
  switch (rule.type) {
    case 'string':
      return text;
    case 'number': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && NUMBER_PATTERN.test(value)
            ? Number(value)
            : NaN;
      if (Number.isFinite(number)) return number;
      return { message: `"${name}" is a number property; ${quote(text)} is not a number`, code: 'invalid_number' };
    }
    case 'datetime': {
      const time = typeof value === 'boolean' ? undefined : parseTimestamp(value);
      if (time !== undefined) return new Date(time).toISOString();
      return {
        message: `"${name}" is a datetime property; ${quote(text)} is neither epoch milliseconds nor an ISO 8601 date-time`,
        code: 'invalid_datetime',
      };
    }
    case 'enumeration': {
      const options = rule.options ?? new Set<string>();
      const unknown = text.split(';').filter((part) => !options.has(part));
      if (unknown.length === 0) return text;
      const allowed = [...options].slice(0, 20).join(', ');
      return {
        message: `"${name}" has no option ${unknown.map(quote).slice(0, 5).join(', ')}; its options are ${allowed}${options.size > 20 ? ', ...' : ''} (separate several with ";")`,
        code: 'invalid_option',
      };
    }
  }
}
