import type { Kysely } from 'kysely';
import type { Database } from './schema';

export async function listOrigins(db: Kysely<Database>, portalId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('portal_origins')
    .select('origin')
    .where('portal_id', '=', portalId)
    .orderBy('origin')
    .execute();
  return rows.map((row) => row.origin);
}

export async function isAllowedOrigin(db: Kysely<Database>, portalId: number, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom('portal_origins')
    .select('origin')
    .where('portal_id', '=', portalId)
    .where('origin', '=', origin)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds an origin; returns false if it was already allowed. */
export async function addOrigin(db: Kysely<Database>, portalId: number, origin: string): Promise<boolean> {
  const result = await db
    .insertInto('portal_origins')
    .values({ portal_id: portalId, origin, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.columns(['portal_id', 'origin']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes an origin; returns false if it was not allowed. */
export async function removeOrigin(db: Kysely<Database>, portalId: number, origin: string): Promise<boolean> {
  const result = await db
    .deleteFrom('portal_origins')
    .where('portal_id', '=', portalId)
    .where('origin', '=', origin)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
