import type { Kysely } from 'kysely';
import type { PrimaryObject, PropertyType } from '../../lib/shared';
import type { Database } from './schema';

/** An event definition with its properties, as ingest, the timeline and workflow checks read them. */
export interface DefinitionWithProperties {
  id: number;
  name: string;
  label: string;
  primaryObject: PrimaryObject;
  archived: boolean;
  properties: {
    name: string;
    label: string;
    type: PropertyType;
    options: { value: string; label: string }[];
  }[];
}

/**
 * The portal's definitions (archived ones included) with these internal names or row ids, each with
 * its properties, in one query (definitions left-joined with their properties).
 */
export async function definitionsWithProperties(
  db: Kysely<Database>,
  portalId: number,
  which: { names: readonly string[] } | { ids: readonly number[] },
): Promise<DefinitionWithProperties[]> {
  const byName = 'names' in which;
  const keys = byName ? [...new Set(which.names)] : [...new Set(which.ids)];
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('event_definitions')
    .leftJoin('event_properties', 'event_properties.definition_id', 'event_definitions.id')
    .select([
      'event_definitions.id',
      'event_definitions.name',
      'event_definitions.label',
      'event_definitions.primary_object',
      'event_definitions.archived',
      'event_properties.name as property_name',
      'event_properties.label as property_label',
      'event_properties.type as property_type',
      'event_properties.options_json',
    ])
    .where('event_definitions.portal_id', '=', portalId)
    .$if(byName, (query) => query.where('event_definitions.name', 'in', keys as string[]))
    .$if(!byName, (query) => query.where('event_definitions.id', 'in', keys as number[]))
    .execute();
  const definitions = new Map<number, DefinitionWithProperties>();
  for (const row of rows) {
    let definition = definitions.get(row.id);
    if (!definition) {
      definition = {
        id: row.id,
        name: row.name,
        label: row.label,
        primaryObject: row.primary_object as PrimaryObject,
        archived: Boolean(row.archived),
        properties: [],
      };
      definitions.set(row.id, definition);
    }
    if (row.property_name === null) continue;
    definition.properties.push({
      name: row.property_name,
      label: row.property_label ?? row.property_name,
      type: row.property_type as PropertyType,
      options: JSON.parse(row.options_json ?? '[]') as { value: string; label: string }[],
    });
  }
  return [...definitions.values()];
}
