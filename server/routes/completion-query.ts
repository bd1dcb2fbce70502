/**
 * The query string of `GET /events/v3/events`, checked and resolved to storage terms. Every filter
 * HubSpot's read endpoint has is either applied or answered with a 400 that names it: a client
 * must never get unfiltered results because a filter was silently ignored.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  COMPLETION_LIMITS,
  completionQuerySchema,
  parseFullyQualifiedEventName,
  parseTimestamp,
  primaryObjectOf,
  PROPERTY_NAME_PATTERN,
  type ErrorDetail,
} from '../../lib/shared';
import { HttpError } from '../http/errors';
import type { CompletionCursor, CompletionFilter } from '../storage/completions';
import type { Database } from '../storage/schema';

/** Parameters a client may repeat (`id=1&id=2`); HubSpot's generated clients join arrays with commas instead. */
const LIST_PARAMETERS = new Set(['id']);
const KNOWN_PARAMETERS = Object.keys(completionQuerySchema.shape);

/** What the query asks for; `empty` when it can match nothing (an email no contact has). */
export type ResolvedQuery = { empty: true; limit: number } | { empty: false; filter: CompletionFilter };

/** Reads `c.req.queries()` (every value of every parameter); throws a 400 naming each bad parameter. */
export async function resolveCompletionQuery(
  db: Kysely<Database>,
  portalId: number,
  raw: Record<string, string[]>,
): Promise<ResolvedQuery> {
  const details: ErrorDetail[] = [];
  const single: Record<string, string> = {};
  const properties: { name: string; value: string }[] = [];
  let email: string | undefined;
  for (const [key, values] of Object.entries(raw)) {
    if (values.length > 1 && !LIST_PARAMETERS.has(key)) {
      details.push({ message: `${key} was given ${values.length} times; give it once`, in: key, code: 'repeated' });
      continue;
    }
    const value = values.join(',');
    const property = /^property\.(.*)$/.exec(key);
    const objectProperty = /^objectProperty\.(.*)$/.exec(key);
    if (property) {
      const name = property[1]!.toLowerCase();
      if (!PROPERTY_NAME_PATTERN.test(name) || name.length > 50) {
        details.push({
          message: `${key}: name the event property, as in property.plan=pro (the generated client's placeholder property.{propname} is not a property name)`,
          in: key,
          code: 'invalid_name',
        });
      } else if (value.length > 1024) {
        details.push({ message: `${key} is longer than 1024 characters`, in: key, code: 'too_long' });
      } else if (properties.some((filter) => filter.name === name)) {
        details.push({ message: `${key} filters property "${name}" a second time`, in: key, code: 'repeated' });
      } else {
        properties.push({ name, value });
      }
    } else if (objectProperty) {
      if (objectProperty[1] === 'email') email = value.toLowerCase();
      else {
        details.push({
          message: `${key}: only objectProperty.email is supported (Clicktrail keeps no other record properties)`,
          in: key,
          code: 'unsupported_filter',
        });
      }
    } else if (KNOWN_PARAMETERS.includes(key)) {
      single[key] = value;
    } else {
      details.push({
        message: `unknown query parameter "${key}"; the supported ones are ${KNOWN_PARAMETERS.join(', ')}, property.{name} and objectProperty.email`,
        in: key,
        code: 'unknown_parameter',
      });
    }
  }
  if (properties.length > COMPLETION_LIMITS.readMaxPropertyFilters) {
    details.push({
      message: `at most ${COMPLETION_LIMITS.readMaxPropertyFilters} property filters; this query has ${properties.length}`,
      in: 'query',
      code: 'too_many_filters',
    });
  }
  const query = completionQuerySchema.safeParse(single);
  if (!query.success) details.push(...queryDetails(query.error));
  if (details.length > 0)
    throw HttpError.validation(`Invalid query: ${details[0]!.in}: ${details[0]!.message}`, details);
  const { objectType, objectId, eventType, occurredAfter, occurredBefore, limit, after, before, sort, id } =
    query.data!;

  const filter: CompletionFilter = {
    definitionId: eventType === undefined ? undefined : await definitionIdOf(db, portalId, eventType),
    objectType: objectType === undefined ? undefined : primaryObjectOf(objectType),
    objectId,
    occurredAfter: occurredAfter === undefined ? undefined : parseTimestamp(occurredAfter),
    occurredBefore: occurredBefore === undefined ? undefined : parseTimestamp(occurredBefore),
    after: after === undefined ? undefined : decodeCursor(after, 'after'),
    before: before === undefined ? undefined : decodeCursor(before, 'before'),
    order: sort === 'occurredAt' ? 'asc' : 'desc',
    ids: id === undefined ? undefined : [...new Set(id.split(',').map(Number))],
    properties,
    limit: limit === undefined ? COMPLETION_LIMITS.readDefaultLimit : Number(limit),
  };
  if (
    filter.occurredAfter !== undefined &&
    filter.occurredBefore !== undefined &&
    filter.occurredAfter >= filter.occurredBefore
  ) {
    throw HttpError.validation('Invalid query: occurredAfter must be earlier than occurredBefore.', [
      { message: 'occurredAfter must be earlier than occurredBefore', in: 'occurredAfter', code: 'invalid_range' },
    ]);
  }
  if (email !== undefined) {
    if (filter.objectType !== undefined && filter.objectType !== 'CONTACT') {
      throw HttpError.validation('Invalid query: objectProperty.email identifies a contact.', [
        {
          message: 'objectProperty.email needs objectType contact (or none)',
          in: 'objectProperty.email',
          code: 'custom',
        },
      ]);
    }
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('email', '=', email)
      .executeTakeFirst();
    const contactId = contact === undefined ? undefined : String(contact.id);
    if (contactId === undefined || (filter.objectId !== undefined && filter.objectId !== contactId)) {
      return { empty: true, limit: filter.limit };
    }
    filter.objectType = 'CONTACT';
    filter.objectId = contactId;
  }
  return { empty: false, filter };
}

/** Zod issues of the query string: `in` is the parameter, or `query` for the whole query. */
function queryDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    message: issue.message,
    in: issue.path.length > 0 ? issue.path.map(String).join('.') : 'query',
    code: issue.code,
  }));
}

async function definitionIdOf(db: Kysely<Database>, portalId: number, eventType: string): Promise<number> {
  const parsed = parseFullyQualifiedEventName(eventType);
  if (!parsed || parsed.portalId !== portalId) {
    throw HttpError.validation(`Invalid query: eventType "${eventType}" is not an event of portal ${portalId}.`, [
      { message: `events of portal ${portalId} are named pe${portalId}_{name}`, in: 'eventType', code: 'wrong_portal' },
    ]);
  }
  const row = await db
    .selectFrom('event_definitions')
    .select('id')
    .where('portal_id', '=', portalId)
    .where('name', '=', parsed.name)
    .executeTakeFirst();
  if (!row) {
    throw HttpError.validation(`Invalid query: no event named "${parsed.name}" exists.`, [
      { message: `no event named "${parsed.name}" exists`, in: 'eventType', code: 'unknown_event' },
    ]);
  }
  return row.id;
}

/** The paging cursor: opaque to clients, the (occurredAt, id) position of a completion. */
export function encodeCursor(occurredAt: number, id: number): string {
  return Buffer.from(`${occurredAt}.${id}`).toString('base64url');
}

export function decodeCursor(value: string, parameter: 'after' | 'before'): CompletionCursor {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(value, 'base64url').toString());
  if (!match) {
    const source = parameter === 'after' ? 'paging.next.after' : 'paging.prev.before';
    throw HttpError.validation(`Invalid query: ${parameter} must be the cursor returned in ${source}.`, [
      { message: `${parameter} must be the cursor returned in ${source}`, in: parameter, code: 'invalid_cursor' },
    ]);
  }
  return { occurredAt: Number(match[1]), id: Number(match[2]) };
}
