import type { Kysely } from 'kysely';
import { fullyQualifiedName, type ContactExport, type ErasureRecord } from '../../lib/shared';
import type { Database } from './schema';

/** Rows read per query while exporting: bounded memory per round trip on a contact with many completions. */
const EXPORT_PAGE = 1000;

/** The contact with this email (any case) in the portal, if any. */
export async function contactIdByEmail(
  db: Kysely<Database>,
  portalId: number,
  email: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where('portal_id', '=', portalId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row?.id;
}

/**
 * Erases a contact in one transaction: every completion associated with it, its visitor tokens
 * and the contact row; records that an erasure happened (not what). Returns false when the portal
 * has no such contact (nothing changes then).
 */
export async function eraseContact(
  db: Kysely<Database>,
  portalId: number,
  contactId: number,
  requestedBy: ErasureRecord['requestedBy'],
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('contacts')
      .where('portal_id', '=', portalId)
      .where('id', '=', contactId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await eraseRowsOf(trx, portalId, contactId);
    await trx
      .insertInto('contact_erasures')
      .values({ portal_id: portalId, requested_by: requestedBy, erased_at: new Date().toISOString() })
      .execute();
    return true;
  });
}

/**
 * Deletes the completions and visitor tokens of a contact id. Also run once more after the
 * erasure committed: on PostgreSQL an ingest transaction that resolved a visitor token to the
 * contact just before the erasure may insert its completions just after.
 */
export async function eraseRowsOf(db: Kysely<Database>, portalId: number, contactId: number): Promise<void> {
  await db
    .deleteFrom('completions')
    .where('portal_id', '=', portalId)
    .where('object_type', '=', 'CONTACT')
    .where('object_id', '=', String(contactId))
    .execute();
  await db.deleteFrom('contact_utks').where('portal_id', '=', portalId).where('contact_id', '=', contactId).execute();
}

/** The erasures of the portal, newest first. */
export async function listErasures(db: Kysely<Database>, portalId: number, limit: number): Promise<ErasureRecord[]> {
  const rows = await db
    .selectFrom('contact_erasures')
    .selectAll()
    .where('portal_id', '=', portalId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    erasedAt: row.erased_at,
    requestedBy: row.requested_by as ErasureRecord['requestedBy'],
  }));
}

/** Everything stored about a contact, or undefined when the portal has no such contact. */
export async function exportContact(
  db: Kysely<Database>,
  portalId: number,
  contactId: number,
): Promise<ContactExport | undefined> {
  // No transaction: on SQLite it would hold the one write lock (ingest would wait for the whole
  // export); keyset paging reads every row that exists throughout, whatever arrives meanwhile.
  const contact = await db
    .selectFrom('contacts')
    .selectAll()
    .where('portal_id', '=', portalId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact) return undefined;
  const utks = await db
    .selectFrom('contact_utks')
    .select(['utk', 'created_at'])
    .where('portal_id', '=', portalId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('utk')
    .execute();
  const completions: ContactExport['completions'] = [];
  let after: { occurredAt: number; id: number } | undefined;
  for (;;) {
    let query = db
      .selectFrom('completions')
      .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
      .select([
        'completions.id',
        'event_definitions.name',
        'completions.occurred_at',
        'completions.received_at',
        'completions.uuid',
        'completions.properties_json',
      ])
      .where('completions.portal_id', '=', portalId)
      .where('completions.object_type', '=', 'CONTACT')
      .where('completions.object_id', '=', String(contactId));
    const cursor = after;
    if (cursor) {
      query = query.where((eb) =>
        eb(eb.refTuple('completions.occurred_at', 'completions.id'), '>', eb.tuple(cursor.occurredAt, cursor.id)),
      );
    }
    const rows = await query.orderBy('completions.occurred_at').orderBy('completions.id').limit(EXPORT_PAGE).execute();
    for (const row of rows) {
      completions.push({
        id: String(row.id),
        eventType: fullyQualifiedName(portalId, row.name),
        occurredAt: new Date(Number(row.occurred_at)).toISOString(),
        receivedAt: new Date(Number(row.received_at)).toISOString(),
        uuid: row.uuid,
        properties: JSON.parse(row.properties_json) as Record<string, string | number>,
      });
    }
    const last = rows[rows.length - 1];
    if (rows.length < EXPORT_PAGE || !last) break;
    after = { occurredAt: Number(last.occurred_at), id: last.id };
  }
  return {
    exportedAt: new Date().toISOString(),
    contact: { id: String(contact.id), email: contact.email, createdAt: contact.created_at },
    visitorTokens: utks.map((row) => ({ utk: row.utk, createdAt: row.created_at })),
    completions,
  };
}
