/** Reading contacts and their completions (the contact timeline); portal-scoped like every query. */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import { definitionsWithProperties } from '../storage/definition-properties';

export interface ContactRecord {
  id: number;
  email: string | null;
  createdAt: string;
  utks: string[];
}

/** The portal's contact with this email (case-insensitive, as stored) or this utk. */
export async function findContact(
  db: Kysely<Database>,
  portalId: number,
  by: { email?: string; utk?: string },
): Promise<ContactRecord | undefined> {
  let id: number | undefined;
  if (by.email !== undefined) {
    const row = await db
      .selectFrom('contacts')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('email', '=', by.email.trim().toLowerCase())
      .executeTakeFirst();
    id = row?.id;
  } else if (by.utk !== undefined) {
    const row = await db
      .selectFrom('contact_utks')
      .select('contact_id')
      .where('portal_id', '=', portalId)
      .where('utk', '=', by.utk)
      .executeTakeFirst();
    id = row?.contact_id;
  }
  return id === undefined ? undefined : getContact(db, portalId, id);
}

/** The portal's contact with this id, with its visitor tokens. */
export async function getContact(
  db: Kysely<Database>,
  portalId: number,
  id: number,
): Promise<ContactRecord | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'created_at'])
    .where('portal_id', '=', portalId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const utks = await db
    .selectFrom('contact_utks')
    .select('utk')
    .where('portal_id', '=', portalId)
    .where('contact_id', '=', id)
    .orderBy('created_at')
    .orderBy('utk')
    .execute();
  return { id: row.id, email: row.email, createdAt: row.created_at, utks: utks.map((utk) => utk.utk) };
}

export interface TimelineRow {
  id: number;
  definitionId: number;
  occurredAt: number;
  properties: Record<string, string | number>;
}

/**
 * One page of a contact's completions, newest first (ties by id), optionally of some events only.
 * Reads the `(portal_id, object_type, object_id, occurred_at, id)` index of migration 002.
 */
export async function contactTimeline(
  db: Kysely<Database>,
  portalId: number,
  contactId: number,
  options: { definitionIds?: readonly number[]; after?: { occurredAt: number; id: number }; limit: number },
): Promise<{ rows: TimelineRow[]; hasMore: boolean }> {
  let query = db
    .selectFrom('completions')
    .select(['id', 'definition_id', 'occurred_at', 'properties_json'])
    .where('portal_id', '=', portalId)
    .where('object_type', '=', 'CONTACT')
    .where('object_id', '=', String(contactId));
  if (options.definitionIds) query = query.where('definition_id', 'in', options.definitionIds);
  const after = options.after;
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '<', eb.tuple(after.occurredAt, after.id)));
  }
  const rows = await query
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  return {
    rows: rows.slice(0, options.limit).map((row) => ({
      id: row.id,
      definitionId: row.definition_id,
      occurredAt: Number(row.occurred_at),
      properties: JSON.parse(row.properties_json) as Record<string, string | number>,
    })),
    hasMore: rows.length > options.limit,
  };
}

export interface TimelineDefinition {
  name: string;
  label: string;
  properties: Map<string, { label: string; options: Map<string, string> }>;
}

/** Names, labels and property labels (with enumeration option labels) of the portal's definitions with these ids. */
export async function timelineDefinitions(
  db: Kysely<Database>,
  portalId: number,
  ids: readonly number[],
): Promise<Map<number, TimelineDefinition>> {
  const definitions = new Map<number, TimelineDefinition>();
  for (const definition of await definitionsWithProperties(db, portalId, { ids })) {
    definitions.set(definition.id, {
      name: definition.name,
      label: definition.label,
      properties: new Map(
        definition.properties.map((property) => [
          property.name,
          {
            label: property.label,
            options: new Map(property.options.map((option) => [option.value, option.label])),
          },
        ]),
      ),
    });
  }
  return definitions;
}
