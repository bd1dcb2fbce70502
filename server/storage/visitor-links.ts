import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * The email of the contact a visitor token is linked to: a string when that contact is
 * identified, null when it is anonymous, undefined when the token is new.
 */
export async function emailOfVisitorToken(
  db: Kysely<Database>,
  portalId: number,
  utk: string,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('contact_utks')
    .innerJoin('contacts', 'contacts.id', 'contact_utks.contact_id')
    .select('contacts.email')
    .where('contact_utks.portal_id', '=', portalId)
    .where('contact_utks.utk', '=', utk)
    .executeTakeFirst();
  return row === undefined ? undefined : row.email;
}
