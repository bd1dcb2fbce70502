import type { Kysely } from 'kysely';
import { createApiKey } from './storage/api-keys';
import { createPortal, firstPortal } from './storage/portals';
import type { Database, PortalRow } from './storage/schema';

export interface Bootstrapped {
  portal: PortalRow;
  /** Only on the very first start: the key to print once. */
  newKey?: string;
}

/** Makes sure a portal exists; the first time, also creates its first API key. */
export async function ensureDefaultPortal(db: Kysely<Database>): Promise<Bootstrapped> {
  const existing = await firstPortal(db);
  if (existing) return { portal: existing };
  const portal = await createPortal(db, 'Default portal');
  const { key } = await createApiKey(db, portal.id, 'default');
  return { portal, newKey: key };
}
