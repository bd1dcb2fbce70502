import type { Kysely } from 'kysely';
import type { Database, PortalRow } from './schema';

export async function firstPortal(db: Kysely<Database>): Promise<PortalRow | undefined> {
  return db.selectFrom('portals').selectAll().orderBy('id').limit(1).executeTakeFirst();
}

export async function getPortal(db: Kysely<Database>, id: number): Promise<PortalRow | undefined> {
  return db.selectFrom('portals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function createPortal(db: Kysely<Database>, name: string): Promise<PortalRow> {
  return db
    .insertInto('portals')
    .values({ name, created_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}
