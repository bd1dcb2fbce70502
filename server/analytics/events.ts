import type { Kysely } from 'kysely';
import { parseFullyQualifiedEventName, type EventDefinition } from '../../lib/shared';
import { invalidQuery } from '../http/query';
import { getDefinitionByName } from '../storage/event-definitions';
import type { Database } from '../storage/schema';

/**
 * The portal's definition named `name` (internal name, or `pe{portalId}_{name}`), archived or not;
 * a 400 naming `parameter` when there is none — another portal's events do not exist here.
 */
export async function resolveEvent(
  db: Kysely<Database>,
  portalId: number,
  name: string,
  parameter: string,
): Promise<EventDefinition> {
  let definition = await getDefinitionByName(db, portalId, name);
  const qualified = parseFullyQualifiedEventName(name);
  if (!definition && qualified?.portalId === portalId) {
    definition = await getDefinitionByName(db, portalId, qualified.name);
  }
  if (!definition) {
    throw invalidQuery([{ message: `no event named "${name}" exists`, in: parameter, code: 'unknown_event' }]);
  }
  return definition;
}
