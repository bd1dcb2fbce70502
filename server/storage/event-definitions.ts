import type { Kysely } from 'kysely';
import {
  fullyQualifiedName,
  triggerSchema,
  propertyOptionSchema,
  type EventDefinition,
  type PrimaryObject,
  type PropertyDefinitionInput,
  type PropertyType,
  type TrackingType,
  type Trigger,
} from '../../lib/shared';
import type { Database, EventDefinitionRow, EventPropertyRow } from './schema';

export interface NewDefinition {
  name: string;
  label: string;
  description?: string;
  primaryObject: PrimaryObject;
  trackingType: TrackingType;
  trigger?: Trigger;
  /** CUSTOM_SCRIPT events only: checked by `checkCustomCode` before it gets here. */
  customCode?: string;
  /** The API key creating the definition, recorded in the custom code's history. */
  apiKeyId?: number;
  properties: PropertyDefinitionInput[];
}

/** Thrown when the portal already has a definition with this internal name. */
export class DuplicateNameError extends Error {
  constructor(readonly eventName: string) {
    super(`An event named "${eventName}" already exists.`);
  }
}

/** The stored row of a new property of a definition. */
export function propertyRow(definitionId: number, property: PropertyDefinitionInput, now: string): EventPropertyRow {
  return {
    definition_id: definitionId,
    name: property.name,
    label: property.label,
    type: property.type,
    description: property.description ?? null,
    options_json: JSON.stringify(property.options),
    created_at: now,
    updated_at: now,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ''}` : '';
  // SQLite: SQLITE_CONSTRAINT_UNIQUE; PostgreSQL: 23505 unique_violation.
  return /SQLITE_CONSTRAINT_UNIQUE|UNIQUE constraint failed|23505/.test(text);
}

/** Creates a definition and its properties in one transaction: nothing is ever half-saved. */
export async function createDefinition(
  db: Kysely<Database>,
  portalId: number,
  input: NewDefinition,
): Promise<EventDefinition> {
  const now = new Date().toISOString();
  try {
    const id = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('event_definitions')
        .values({
          portal_id: portalId,
          name: input.name,
          label: input.label,
          description: input.description ?? null,
          primary_object: input.primaryObject,
          tracking_type: input.trackingType,
          trigger_json: input.trigger ? JSON.stringify(input.trigger) : null,
          custom_code: input.customCode ?? null,
          archived: 0,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.customCode !== undefined) {
        await trx
          .insertInto('custom_code_changes')
          .values({
            definition_id: row.id,
            version: 1,
            code: input.customCode,
            api_key_id: input.apiKeyId ?? null,
            changed_at: now,
          })
          .execute();
      }
      if (input.properties.length > 0) {
        await trx
          .insertInto('event_properties')
          .values(input.properties.map((property) => propertyRow(row.id, property, now)))
          .execute();
      }
      return row.id;
    });
    const created = await getDefinitionById(db, portalId, id);
    if (!created) throw new Error(`Definition ${id} vanished after it was created.`);
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateNameError(input.name);
    throw error;
  }
}

export async function getDefinitionByName(
  db: Kysely<Database>,
  portalId: number,
  name: string,
): Promise<EventDefinition | undefined> {
  const row = await db
    .selectFrom('event_definitions')
    .selectAll()
    .where('portal_id', '=', portalId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? (await hydrate(db, portalId, [row]))[0] : undefined;
}

async function getDefinitionById(
  db: Kysely<Database>,
  portalId: number,
  id: number,
): Promise<EventDefinition | undefined> {
  const row = await db
    .selectFrom('event_definitions')
    .selectAll()
    .where('portal_id', '=', portalId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? (await hydrate(db, portalId, [row]))[0] : undefined;
}

export interface ListOptions {
  limit: number;
  /** Cursor: the id of the last definition of the previous page. */
  after?: number;
  includeArchived: boolean;
}

export interface DefinitionPage {
  total: number;
  results: EventDefinition[];
  nextAfter?: string;
}

/** One page of a portal's definitions in id order, with the total across all pages. */
export async function listDefinitions(
  db: Kysely<Database>,
  portalId: number,
  options: ListOptions,
): Promise<DefinitionPage> {
  let base = db.selectFrom('event_definitions').where('portal_id', '=', portalId);
  if (!options.includeArchived) base = base.where('archived', '=', 0);
  const [counted, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .$if(options.after !== undefined, (query) => query.where('id', '>', options.after!))
      .orderBy('id')
      .limit(options.limit + 1)
      .execute(),
  ]);
  const page = rows.slice(0, options.limit);
  return {
    total: Number(counted.total),
    results: await hydrate(db, portalId, page),
    nextAfter: rows.length > options.limit ? String(page[page.length - 1]!.id) : undefined,
  };
}

async function hydrate(db: Kysely<Database>, portalId: number, rows: EventDefinitionRow[]): Promise<EventDefinition[]> {
  if (rows.length === 0) return [];
  const properties = await db
    .selectFrom('event_properties')
    .selectAll()
    .where(
      'definition_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  const byDefinition = new Map<number, EventPropertyRow[]>();
  for (const property of properties) {
    const list = byDefinition.get(property.definition_id) ?? [];
    list.push(property);
    byDefinition.set(property.definition_id, list);
  }
  return rows.map((row) => toDefinition(portalId, row, byDefinition.get(row.id) ?? []));
}

function toDefinition(portalId: number, row: EventDefinitionRow, properties: EventPropertyRow[]): EventDefinition {
  return {
    id: String(row.id),
    name: row.name,
    label: row.label,
    labels: { singular: row.label, plural: null },
    ...(row.description !== null ? { description: row.description } : {}),
    fullyQualifiedName: fullyQualifiedName(portalId, row.name),
    primaryObject: row.primary_object as PrimaryObject,
    trackingType: row.tracking_type as TrackingType,
    // Stored JSON was validated on the way in; parsing again guards against manual edits.
    trigger: row.trigger_json ? triggerSchema.parse(JSON.parse(row.trigger_json)) : null,
    status: row.archived ? 'ARCHIVED' : row.paused ? 'PAUSED' : 'ACTIVE',
    archived: Boolean(row.archived),
    paused: Boolean(row.paused),
    ...(row.custom_code !== null ? { customCode: row.custom_code } : {}),
    properties: properties.map((property) => ({
      name: property.name,
      label: property.label,
      type: property.type as PropertyType,
      ...(property.description !== null ? { description: property.description } : {}),
      options: propertyOptionSchema.array().parse(JSON.parse(property.options_json)),
      createdAt: property.created_at,
      updatedAt: property.updated_at,
    })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The portal's active click triggers by fully qualified name (what the tracker's config holds for
 * clicks): the collect route checks health reports against them. A trigger that no longer parses
 * is left out rather than failing the request.
 */
export async function activeClickTriggers(
  db: Kysely<Database>,
  portalId: number,
): Promise<Map<string, { id: number; trigger: Extract<Trigger, { kind: 'click' }> }>> {
  const rows = await db
    .selectFrom('event_definitions')
    .select(['id', 'name', 'trigger_json'])
    .where('portal_id', '=', portalId)
    .where('archived', '=', 0)
    .where('paused', '=', 0)
    .where('trigger_json', 'is not', null)
    .execute();
  const triggers = new Map<string, { id: number; trigger: Extract<Trigger, { kind: 'click' }> }>();
  for (const row of rows) {
    const parsed = triggerSchema.safeParse(JSON.parse(row.trigger_json!));
    if (parsed.success && parsed.data.kind === 'click') {
      triggers.set(fullyQualifiedName(portalId, row.name), { id: row.id, trigger: parsed.data });
    }
  }
  return triggers;
}
