import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * How a completion names its contact: an email (with an optional utk to link), or a utk alone.
 * `keepLink` (tracker requests): a utk already linked to a contact with another email stays
 * linked to it instead of being re-pointed to this email's contact.
 */
export type ContactIdentity =
  { email: string; utk?: string; keepLink?: boolean } | { email?: undefined; utk: string; keepLink?: boolean };

/** Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** The ids among `ids` that are contacts of the portal. */
export async function existingContactIds(
  db: Kysely<Database>,
  portalId: number,
  ids: readonly number[],
): Promise<Set<number>> {
  const found = new Set<number>();
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/**
 * The contact id of each identity, creating and linking contacts as needed, with a bounded number
 * of statements for the whole list (never one per identity):
 * - a known email resolves to its contact; a new email creates one;
 * - a known utk resolves to its contact; a new utk alone creates an anonymous contact;
 * - a utk sent with an email is linked to the email's contact. When the email is new and the utk
 *   belongs to an anonymous contact, that contact gets the email, so the visitor's earlier
 *   completions become the identified contact's; otherwise the utk is re-pointed to the email's
 *   contact (the email is authoritative; earlier completions stay where they were) — unless the
 *   identity says `keepLink` and the utk's contact has another email: then the link stays.
 * Run it inside the transaction that stores the completions so nothing is linked for a failed write.
 */
export async function resolveContacts(
  db: Kysely<Database>,
  portalId: number,
  identities: readonly ContactIdentity[],
): Promise<number[]> {
  const byEmail = await contactsByEmail(db, portalId, identities);
  const byUtk = await contactsByUtk(db, portalId, identities);

  // Plan in memory first; contacts to create get negative placeholder ids until they are inserted.
  const planned: { email: string | null }[] = [];
  const claims = new Map<number, string>();
  const links = new Map<string, number>();
  const create = (email: string | null): number => {
    planned.push({ email });
    return -planned.length;
  };
  const link = (utk: string, id: number, email: string | null) => {
    if (byUtk.get(utk)?.id === id) return;
    byUtk.set(utk, { id, email });
    links.set(utk, id);
  };
  const resolved = identities.map((identity) => {
    const { email, utk } = identity;
    if (email === undefined) {
      const known = byUtk.get(identity.utk);
      if (known) return known.id;
      const id = create(null);
      link(identity.utk, id, null);
      return id;
    }
    let id = byEmail.get(email);
    const anonymous = utk === undefined ? undefined : byUtk.get(utk);
    if (id === undefined && anonymous && anonymous.email === null) {
      id = anonymous.id;
      anonymous.email = email;
      if (id < 0) planned[-id - 1]!.email = email;
      else claims.set(id, email);
    }
    id ??= create(email);
    byEmail.set(email, id);
    const linkedElsewhere = anonymous?.email != null && anonymous.email !== email;
    if (utk !== undefined && !(identity.keepLink && linkedElsewhere)) link(utk, id, email);
    return id;
  });

  const ids = await createContacts(db, portalId, planned);
  const real = (id: number) => (id < 0 ? ids[-id - 1]! : id);
  for (const [id, email] of claims) {
    await db
      .updateTable('contacts')
      .set({ email })
      .where('id', '=', id)
      .where('portal_id', '=', portalId)
      .where('email', 'is', null)
      .execute();
  }
  const now = new Date().toISOString();
  for (const chunk of chunks([...links])) {
    await db
      .insertInto('contact_utks')
      .values(chunk.map(([utk, id]) => ({ portal_id: portalId, utk, contact_id: real(id), created_at: now })))
      .onConflict((conflict) =>
        conflict.columns(['portal_id', 'utk']).doUpdateSet((eb) => ({ contact_id: eb.ref('excluded.contact_id') })),
      )
      .execute();
  }
  return resolved.map(real);
}

async function contactsByEmail(
  db: Kysely<Database>,
  portalId: number,
  identities: readonly ContactIdentity[],
): Promise<Map<string, number>> {
  const emails = [...new Set(identities.flatMap((identity) => identity.email ?? []))];
  const byEmail = new Map<string, number>();
  for (const chunk of chunks(emails)) {
    const rows = await db
      .selectFrom('contacts')
      .select(['id', 'email'])
      .where('portal_id', '=', portalId)
      .where('email', 'in', chunk)
      .execute();
    for (const row of rows) byEmail.set(row.email!, row.id);
  }
  return byEmail;
}

async function contactsByUtk(
  db: Kysely<Database>,
  portalId: number,
  identities: readonly ContactIdentity[],
): Promise<Map<string, { id: number; email: string | null }>> {
  const utks = [...new Set(identities.flatMap((identity) => identity.utk ?? []))];
  const byUtk = new Map<string, { id: number; email: string | null }>();
  for (const chunk of chunks(utks)) {
    const rows = await db
      .selectFrom('contact_utks')
      .innerJoin('contacts', 'contacts.id', 'contact_utks.contact_id')
      .select(['contact_utks.utk', 'contacts.id', 'contacts.email'])
      .where('contact_utks.portal_id', '=', portalId)
      .where('contact_utks.utk', 'in', chunk)
      .execute();
    for (const row of rows) byUtk.set(row.utk, { id: row.id, email: row.email });
  }
  return byUtk;
}

/** Inserts the planned contacts; returns their ids in plan order. */
async function createContacts(
  db: Kysely<Database>,
  portalId: number,
  planned: readonly { email: string | null }[],
): Promise<number[]> {
  const ids: number[] = new Array<number>(planned.length);
  const now = new Date().toISOString();
  const indexed = planned.map((contact, index) => ({ email: contact.email, index }));

  // Sorted, so concurrent PostgreSQL writers take the unique-index locks in one order (no deadlock).
  const withEmail = indexed
    .filter((contact): contact is { email: string; index: number } => contact.email !== null)
    .sort((a, b) => (a.email < b.email ? -1 : 1));
  for (const chunk of chunks(withEmail)) {
    // Another server may create the same email concurrently: skip the conflict, then read its id.
    const rows = await db
      .insertInto('contacts')
      .values(chunk.map((contact) => ({ portal_id: portalId, email: contact.email, created_at: now })))
      .onConflict((conflict) => conflict.columns(['portal_id', 'email']).doNothing())
      .returning(['id', 'email'])
      .execute();
    const created = new Map(rows.map((row) => [row.email!, row.id]));
    const missing = chunk.filter((contact) => !created.has(contact.email)).map((contact) => contact.email);
    if (missing.length > 0) {
      const existing = await db
        .selectFrom('contacts')
        .select(['id', 'email'])
        .where('portal_id', '=', portalId)
        .where('email', 'in', missing)
        .execute();
      for (const row of existing) created.set(row.email!, row.id);
    }
    for (const contact of chunk) ids[contact.index] = created.get(contact.email)!;
  }

  const anonymous = indexed.filter((contact) => contact.email === null);
  for (const chunk of chunks(anonymous)) {
    const rows = await db
      .insertInto('contacts')
      .values(chunk.map(() => ({ portal_id: portalId, email: null, created_at: now })))
      .returning('id')
      .execute();
    // Nothing but the id tells these rows apart. Both databases allocate ids in VALUES order within
    // one statement, so ascending ids pair up with the rows as listed.
    const sorted = rows.map((row) => row.id).sort((a, b) => a - b);
    if (sorted.length !== chunk.length) throw new Error('Inserting anonymous contacts returned a wrong row count.');
    chunk.forEach((contact, position) => (ids[contact.index] = sorted[position]!));
  }
  return ids;
}
