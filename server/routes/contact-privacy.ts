import { Hono } from 'hono';
import { erasureByEmailQuerySchema, type ContactExport, type ErasureList } from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { contactIdByEmail, eraseContact, eraseRowsOf, exportContact, listErasures } from '../storage/contact-privacy';
import type { CompletionWriter } from '../storage/completions';
import type { Database } from '../storage/schema';
import type { Kysely } from 'kysely';

/** Contact ids are positive integers; anything else names no contact. */
function contactIdParam(raw: string): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) {
    throw HttpError.validation(`Invalid contact id "${raw.slice(0, 40)}": it must be a positive whole number.`, [
      { message: 'contact id must be a positive whole number', in: 'id', code: 'invalid_id' },
    ]);
  }
  return Number(raw);
}

const noContact = (what: string) => HttpError.notFound(`No contact ${what} in this portal.`);

/**
 * Erases a contact and, once ingest transactions that were in flight have ended, sweeps again: one
 * of them may have resolved a visitor token to the contact before the erasure and store its
 * completions after it (PostgreSQL, several writers). Returns false for an unknown contact.
 */
async function erase(
  db: Kysely<Database>,
  writer: CompletionWriter,
  portalId: number,
  contactId: number,
  requestedBy: 'id' | 'email',
): Promise<boolean> {
  if (!(await eraseContact(db, portalId, contactId, requestedBy))) return false;
  await writer.settled();
  await eraseRowsOf(db, portalId, contactId);
  return true;
}

/**
 * The privacy side of `/contacts/v1/contacts` (issue 17), mounted beside the contact lookup routes:
 * `DELETE /{id}` and `DELETE ?email=` erase a contact (204, 404 when unknown), `GET /{id}/export`
 * returns everything stored about it. `GET /contacts/v1/erasures` lists the erasure records.
 */
export function contactPrivacyRoutes({ db, writer }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.delete('/contacts', async (c) => {
    const query = erasureByEmailQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'erasure request');
    const portalId = c.get('portalId');
    const contactId = await contactIdByEmail(db, portalId, query.data.email);
    if (contactId === undefined || !(await erase(db, writer, portalId, contactId, 'email'))) {
      // The email is not repeated: error bodies end up in logs.
      throw noContact('has this email');
    }
    return c.body(null, 204);
  });

  app.delete('/contacts/:id', async (c) => {
    const contactId = contactIdParam(c.req.param('id'));
    if (!(await erase(db, writer, c.get('portalId'), contactId, 'id'))) throw noContact(`has the id ${contactId}`);
    return c.body(null, 204);
  });

  app.get('/contacts/:id/export', async (c) => {
    const contactId = contactIdParam(c.req.param('id'));
    const exported: ContactExport | undefined = await exportContact(db, c.get('portalId'), contactId);
    if (!exported) throw noContact(`has the id ${contactId}`);
    c.header('Content-Disposition', `attachment; filename="contact-${contactId}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(exported);
  });

  app.get('/erasures', async (c) => {
    const raw = c.req.query('limit') ?? '100';
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
      throw HttpError.validation('Invalid limit: it must be a whole number from 1 to 1000.', [
        { message: 'limit must be between 1 and 1000', in: 'limit', code: 'invalid_limit' },
      ]);
    }
    const body: ErasureList = { results: await listErasures(db, c.get('portalId'), Number(raw)) };
    return c.json(body);
  });
  return app;
}
