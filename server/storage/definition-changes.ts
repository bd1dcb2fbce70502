/**
 * Changes to existing definitions and their properties. Every change bumps the definition's
 * `version` in the same transaction with a conditional UPDATE, so two clients editing the same
 * definition can never both win: the stale one gets `VersionConflictError` and changes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { EventDefinition, PropertyDefinitionInput, PropertyOption, Trigger } from '../../lib/shared';
import { getDefinitionByName, propertyRow } from './event-definitions';
import type { Database } from './schema';
import { trackingTypeOf } from './tracking-type';

export class DefinitionNotFoundError extends Error {
  constructor(readonly eventName: string) {
    super(`No event definition named "${eventName}".`);
  }
}

export class VersionConflictError extends Error {
  constructor(
    readonly expected: number,
    readonly current: number,
  ) {
    super(
      `The event definition changed since version ${expected} (it is now at version ${current}); reload it and try again.`,
    );
  }
}

export class PropertyNotFoundError extends Error {
  constructor(
    readonly eventName: string,
    readonly propertyName: string,
  ) {
    super(`Event "${eventName}" has no property named "${propertyName}".`);
  }
}

export class DuplicatePropertyError extends Error {
  constructor(
    readonly eventName: string,
    readonly propertyName: string,
  ) {
    super(`Event "${eventName}" already has a property named "${propertyName}".`);
  }
}

interface Target {
  portalId: number;
  eventName: string;
  /** When set, the change applies only if the definition is still at this version. */
  expectedVersion?: number;
}

/** Bumps the version of the target definition if it matches; returns the definition's id. */
async function claimVersion(trx: Transaction<Database>, target: Target, now: string): Promise<number> {
  const claimed = await trx
    .updateTable('event_definitions')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('portal_id', '=', target.portalId)
    .where('name', '=', target.eventName)
    .$if(target.expectedVersion !== undefined, (query) => query.where('version', '=', target.expectedVersion!))
    .returning('id')
    .executeTakeFirst();
  if (claimed) return claimed.id;
  const current = await trx
    .selectFrom('event_definitions')
    .select('version')
    .where('portal_id', '=', target.portalId)
    .where('name', '=', target.eventName)
    .executeTakeFirst();
  if (!current) throw new DefinitionNotFoundError(target.eventName);
  throw new VersionConflictError(target.expectedVersion!, current.version);
}

async function change(
  db: Kysely<Database>,
  target: Target,
  apply: (trx: Transaction<Database>, definitionId: number, now: string) => Promise<void>,
): Promise<EventDefinition> {
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const id = await claimVersion(trx, target, now);
    await apply(trx, id, now);
  });
  const updated = await getDefinitionByName(db, target.portalId, target.eventName);
  if (!updated) throw new DefinitionNotFoundError(target.eventName);
  return updated;
}

export interface DefinitionChanges {
  label?: string;
  description?: string | null;
  trigger?: Trigger | null;
  archived?: boolean;
  paused?: boolean;
  /** New custom code (`null` removes it); recorded in the history with `changedBy`. */
  customCode?: string | null;
  /** The API key making the change. */
  changedBy?: number;
}

/** Label, description, trigger and archive state; name and primary object never change. */
export function updateDefinition(
  db: Kysely<Database>,
  target: Target,
  changes: DefinitionChanges,
): Promise<EventDefinition> {
  return change(db, target, async (trx, id, now) => {
    await trx
      .updateTable('event_definitions')
      .set({
        ...(changes.paused !== undefined ? { paused: changes.paused ? 1 : 0 } : {}),
        ...(changes.customCode !== undefined ? { custom_code: changes.customCode } : {}),
        ...(changes.label !== undefined ? { label: changes.label } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.trigger !== undefined
          ? {
              trigger_json: changes.trigger ? JSON.stringify(changes.trigger) : null,
              tracking_type: trackingTypeOf(changes.trigger),
            }
          : {}),
        ...(changes.archived !== undefined ? { archived: changes.archived ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (changes.customCode !== undefined) {
      const { version } = await trx
        .selectFrom('event_definitions')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('custom_code_changes')
        .values({
          definition_id: id,
          version,
          code: changes.customCode,
          api_key_id: changes.changedBy ?? null,
          changed_at: now,
        })
        .execute();
    }
  });
}

export function addProperty(
  db: Kysely<Database>,
  target: Target,
  property: PropertyDefinitionInput,
): Promise<EventDefinition> {
  return change(db, target, async (trx, id, now) => {
    const existing = await trx
      .selectFrom('event_properties')
      .select('name')
      .where('definition_id', '=', id)
      .where('name', '=', property.name)
      .executeTakeFirst();
    if (existing) throw new DuplicatePropertyError(target.eventName, property.name);
    await trx
      .insertInto('event_properties')
      .values(propertyRow(id, property, now))
      .execute();
  });
}

export interface PropertyChanges {
  label?: string;
  description?: string | null;
  options?: PropertyOption[];
}

export function updateProperty(
  db: Kysely<Database>,
  target: Target & { propertyName: string },
  changes: PropertyChanges,
): Promise<EventDefinition> {
  return change(db, target, async (trx, id, now) => {
    const result = await trx
      .updateTable('event_properties')
      .set({
        updated_at: now,
        ...(changes.label !== undefined ? { label: changes.label } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.options !== undefined ? { options_json: JSON.stringify(changes.options) } : {}),
      })
      .where('definition_id', '=', id)
      .where('name', '=', target.propertyName)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new PropertyNotFoundError(target.eventName, target.propertyName);
  });
}

export function deleteProperty(
  db: Kysely<Database>,
  target: Target & { propertyName: string },
): Promise<EventDefinition> {
  return change(db, target, async (trx, id) => {
    const result = await trx
      .deleteFrom('event_properties')
      .where('definition_id', '=', id)
      .where('name', '=', target.propertyName)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new PropertyNotFoundError(target.eventName, target.propertyName);
  });
}
