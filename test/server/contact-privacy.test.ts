import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, contactExportSchema, erasureListSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const ALICE_UTKS = ['aliceUtkAAAAAAAAAAAA1', 'aliceUtkAAAAAAAAAAAA2'];
const BOB_UTK = 'bobUtkBBBBBBBBBBBBBBB1';

describe.each(DATABASE_KINDS)('contact erasure and export on %s', (kind) => {
  let server: TestServer;
  let portal: number;
  const send = async (body: Record<string, unknown>) => {
    const response = await server.api('/events/v3/send', { method: 'POST', json: body });
    expect(response.status, await response.clone().text()).toBe(204);
  };
  const contactId = async (email: string) => {
    const row = await server.database.db
      .selectFrom('contacts')
      .select('id')
      .where('portal_id', '=', portal)
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.id;
  };
  /** Every row of the tables that hold contact data, for one contact id, counted with SQL. */
  const rowsOf = async (id: number) => {
    const db = server.database.db;
    const [contacts, utks, completions] = await Promise.all([
      db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', '=', id)
        .executeTakeFirst(),
      db
        .selectFrom('contact_utks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('contact_id', '=', id)
        .executeTakeFirst(),
      db
        .selectFrom('completions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('object_type', '=', 'CONTACT')
        .where('object_id', '=', String(id))
        .executeTakeFirst(),
    ]);
    const enrolments = await db.selectFrom('workflow_enrolments').select('id').where('contact_id', '=', id).execute();
    // By the enrolment ids recorded when the rows were made: after an erasure the enrolment is gone too.
    const ids = enrolmentsOf.get(id) ?? [];
    const count = async (table: 'workflow_history' | 'workflow_deliveries') =>
      ids.length === 0
        ? 0
        : Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('enrolment_id', 'in', ids)
                .executeTakeFirst()
            )?.n,
          );
    const properties = await db
      .selectFrom('contact_property_values')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('contact_id', '=', id)
      .executeTakeFirst();
    return {
      contacts: Number(contacts?.n),
      utks: Number(utks?.n),
      completions: Number(completions?.n),
      enrolments: enrolments.length,
      history: await count('workflow_history'),
      deliveries: await count('workflow_deliveries'),
      properties: Number(properties?.n),
    };
  };
  const enrolmentsOf = new Map<number, number[]>();
  /** What a workflow leaves about a contact: an enrolment with its history, a delivery (with its payload) and a property it set. */
  const addWorkflowRows = async (contact: number, workflow: number, completion: number) => {
    const db = server.database.db;
    const now = Date.now();
    const enrolment = await db
      .insertInto('workflow_enrolments')
      .values({
        portal_id: portal,
        workflow_id: workflow,
        contact_id: contact,
        once_key: contact,
        completion_id: completion,
        status: 'done',
        enrolled_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    enrolmentsOf.set(contact, [...(enrolmentsOf.get(contact) ?? []), enrolment.id]);
    await db
      .insertInto('workflow_history')
      .values({ enrolment_id: enrolment.id, at: now, kind: 'enrolled', detail: 'by a completion' })
      .execute();
    await db
      .insertInto('workflow_deliveries')
      .values({
        portal_id: portal,
        workflow_id: workflow,
        enrolment_id: enrolment.id,
        step_id: 's1',
        url: 'https://hooks.example.com/crm',
        idempotency_key: `erasure-test-${contact}`,
        payload_json: JSON.stringify({ contact, plan: 'pro' }),
        status: 'delivered',
        attempts: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('contact_property_values')
      .values({ contact_id: contact, name: 'lifecycle', value: 'customer', updated_at: now })
      .execute();
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    portal = server.bootstrap.portal.id;
    for (const body of [
      {
        label: 'Plan chosen',
        propertyDefinitions: [
          { name: 'plan', label: 'Plan', type: 'enumeration', options: [{ label: 'Pro', value: 'pro' }] },
          { name: 'seats', label: 'Seats', type: 'number' },
        ],
      },
      { label: 'Demo booked' },
    ]) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: body })).status).toBe(201);
    }
    await send({
      eventName: `pe${portal}_plan_chosen`,
      email: ALICE,
      utk: ALICE_UTKS[0],
      occurredAt: '2026-03-01T10:00:00Z',
      uuid: 'alice-1',
      properties: { plan: 'pro', seats: 3, hs_url: 'https://shop.example.com/pricing' },
    });
    await send({ eventName: `pe${portal}_demo_booked`, utk: ALICE_UTKS[0], occurredAt: '2026-03-02T10:00:00Z' });
    await send({ eventName: `pe${portal}_demo_booked`, email: ALICE, utk: ALICE_UTKS[1], occurredAt: 1772532000000 });
    await send({ eventName: `pe${portal}_plan_chosen`, email: BOB, utk: BOB_UTK, properties: { plan: 'pro' } });
    await send({ eventName: `pe${portal}_demo_booked`, email: BOB });
    const workflow = await server.database.db
      .insertInto('workflows')
      .values({
        portal_id: portal,
        name: 'Welcome',
        enabled: 0,
        reenrollment: 0,
        triggers_json: '[]',
        steps_json: '[]',
        secret: 'secret',
        version: 1,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const email of [ALICE, BOB]) {
      const contact = (await contactId(email))!;
      const completion = await server.database.db
        .selectFrom('completions')
        .select('id')
        .where('object_id', '=', String(contact))
        .executeTakeFirstOrThrow();
      await addWorkflowRows(contact, workflow.id, Number(completion.id));
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('exports everything stored about a contact, and it round-trips what was sent', async () => {
    const id = (await contactId(ALICE))!;
    const response = await server.api(`/contacts/v1/contacts/${id}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="contact-${id}.json"`);
    const exported = contactExportSchema.parse(await response.json());
    expect(exported.contact).toMatchObject({ id: String(id), email: ALICE });
    expect(exported.visitorTokens.map((token) => token.utk).sort()).toEqual([...ALICE_UTKS].sort());
    expect(
      exported.completions.map(({ eventType, occurredAt, uuid, properties }) => ({
        eventType,
        occurredAt,
        uuid,
        properties,
      })),
    ).toEqual([
      {
        eventType: `pe${portal}_plan_chosen`,
        occurredAt: '2026-03-01T10:00:00.000Z',
        uuid: 'alice-1',
        properties: { plan: 'pro', seats: 3, hs_url: 'https://shop.example.com/pricing' },
      },
      { eventType: `pe${portal}_demo_booked`, occurredAt: '2026-03-02T10:00:00.000Z', uuid: null, properties: {} },
      { eventType: `pe${portal}_demo_booked`, occurredAt: '2026-03-03T10:00:00.000Z', uuid: null, properties: {} },
    ]);
    // Nothing of Bob's is in Alice's export.
    expect(JSON.stringify(exported)).not.toContain('bob');
  });

  it('answers 404 for an unknown contact and 400 for an id that is not one', async () => {
    expect((await server.api('/contacts/v1/contacts/999999/export')).status).toBe(404);
    expect((await server.api('/contacts/v1/contacts/999999', { method: 'DELETE' })).status).toBe(404);
    const bad = await server.api('/contacts/v1/contacts/abc', { method: 'DELETE' });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(await bad.json()).errors[0]).toMatchObject({ in: 'id', code: 'invalid_id' });
  });

  it('needs an API key', async () => {
    const id = (await contactId(ALICE))!;
    expect((await fetch(`${server.url}/contacts/v1/contacts/${id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${server.url}/contacts/v1/contacts/${id}/export`)).status).toBe(401);
    expect((await rowsOf(id)).contacts).toBe(1);
  });

  it('erases a contact by id: every row gone (checked with SQL), other contacts untouched, erasure recorded', async () => {
    const alice = (await contactId(ALICE))!;
    const bob = (await contactId(BOB))!;
    const workflowRows = { enrolments: 1, history: 1, deliveries: 1, properties: 1 };
    expect(await rowsOf(alice)).toEqual({ contacts: 1, utks: 2, completions: 3, ...workflowRows });
    const bobBefore = await rowsOf(bob);
    expect(bobBefore).toEqual({ contacts: 1, utks: 1, completions: 2, ...workflowRows });

    const response = await server.api(`/contacts/v1/contacts/${alice}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    // Workflow enrolments, their history and webhook payloads, and properties set by workflows go too.
    expect(await rowsOf(alice)).toEqual({
      contacts: 0,
      utks: 0,
      completions: 0,
      enrolments: 0,
      history: 0,
      deliveries: 0,
      properties: 0,
    });
    const leftovers = await server.database.db
      .selectFrom('completions')
      .select('properties_json')
      .where('portal_id', '=', portal)
      .execute();
    expect(leftovers.map((row) => row.properties_json).join()).not.toContain('seats');
    expect(await rowsOf(bob)).toEqual(bobBefore);

    // The record says that an erasure happened, not what was erased.
    const records = await server.database.db.selectFrom('contact_erasures').selectAll().execute();
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toMatch(/alice|aliceUtk/i);
    const list = erasureListSchema.parse(await (await server.api('/contacts/v1/erasures')).json());
    expect(list.results).toEqual([
      { id: expect.any(String) as string, erasedAt: expect.any(String) as string, requestedBy: 'id' },
    ]);

    // Erasing again: the contact is unknown now.
    expect((await server.api(`/contacts/v1/contacts/${alice}`, { method: 'DELETE' })).status).toBe(404);
    expect((await server.api(`/contacts/v1/contacts/${alice}/export`)).status).toBe(404);
  });

  it('creates a fresh contact for a later completion with the erased email, with nothing of the old one', async () => {
    await send({ eventName: `pe${portal}_demo_booked`, email: ALICE, occurredAt: '2026-04-01T00:00:00Z' });
    const fresh = (await contactId(ALICE))!;
    const exported = contactExportSchema.parse(
      await (await server.api(`/contacts/v1/contacts/${fresh}/export`)).json(),
    );
    expect(exported.visitorTokens).toEqual([]);
    expect(exported.completions.map((completion) => completion.occurredAt)).toEqual(['2026-04-01T00:00:00.000Z']);
    // The visitor's old cookie no longer leads to her: it starts a new anonymous contact.
    await send({ eventName: `pe${portal}_demo_booked`, utk: ALICE_UTKS[0] });
    const utkRow = await server.database.db
      .selectFrom('contact_utks')
      .innerJoin('contacts', 'contacts.id', 'contact_utks.contact_id')
      .select(['contacts.email'])
      .where('contact_utks.utk', '=', ALICE_UTKS[0]!)
      .executeTakeFirstOrThrow();
    expect(utkRow.email).toBeNull();
  });

  it("never gives an erased contact's id to a new contact", async () => {
    await send({ eventName: `pe${portal}_demo_booked`, email: 'newest@example.com' });
    const newest = (await contactId('newest@example.com'))!;
    expect((await server.api(`/contacts/v1/contacts/${newest}`, { method: 'DELETE' })).status).toBe(204);
    await send({ eventName: `pe${portal}_demo_booked`, email: 'next@example.com' });
    expect(await contactId('next@example.com')).toBeGreaterThan(newest);
    // An integration that kept the erased id is told it names no contact.
    const response = await server.api('/events/v3/send', {
      method: 'POST',
      json: { eventName: `pe${portal}_demo_booked`, objectId: newest },
    });
    expect(response.status).toBe(400);
  });

  it('erases by email (any case); 404 for an unknown email, 400 naming a malformed one', async () => {
    const bob = (await contactId(BOB))!;
    const freshAlice = (await contactId(ALICE))!;
    const aliceBefore = await rowsOf(freshAlice);
    const bad = await server.api('/contacts/v1/contacts?email=not-an-email', { method: 'DELETE' });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(await bad.json()).errors[0]?.in).toBe('email');
    const missing = await server.api('/contacts/v1/contacts', { method: 'DELETE' });
    expect(missing.status).toBe(400);
    expect(apiErrorSchema.parse(await missing.json()).errors[0]?.in).toBe('email');
    const unknown = await server.api(`/contacts/v1/contacts?email=${encodeURIComponent('nobody@example.com')}`, {
      method: 'DELETE',
    });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(await unknown.json())).not.toContain('nobody@example.com');

    const response = await server.api(`/contacts/v1/contacts?email=${encodeURIComponent('Bob@Example.COM')}`, {
      method: 'DELETE',
    });
    expect(response.status).toBe(204);
    expect(await rowsOf(bob)).toEqual({
      contacts: 0,
      utks: 0,
      completions: 0,
      enrolments: 0,
      history: 0,
      deliveries: 0,
      properties: 0,
    });
    expect(await rowsOf(freshAlice)).toEqual(aliceBefore);
    const list = erasureListSchema.parse(await (await server.api('/contacts/v1/erasures')).json());
    expect(list.results.map((record) => record.requestedBy)).toEqual(['email', 'id', 'id']);
  });

  it('leaves no completion of an erased contact behind when its visitor keeps sending during the erasure', async () => {
    const utk = 'raceUtkCCCCCCCCCCCCCC1';
    await send({ eventName: `pe${portal}_demo_booked`, email: 'race@example.com', utk });
    const erased = (await contactId('race@example.com'))!;
    const sends = Array.from({ length: 60 }, (_, index) =>
      new Promise((resolve) => setTimeout(resolve, index * 3)).then(() =>
        server.api('/events/v3/send', { method: 'POST', json: { eventName: `pe${portal}_demo_booked`, utk } }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    const erasure = await server.api(`/contacts/v1/contacts/${erased}`, { method: 'DELETE' });
    expect(erasure.status).toBe(204);
    for (const response of await Promise.all(sends)) expect(response.status).toBe(204);
    // Sends before the erasure went with the contact; sends after it made a new anonymous visitor.
    expect(await rowsOf(erased)).toMatchObject({ contacts: 0, utks: 0, completions: 0 });
    const orphans = await server.database.db
      .selectFrom('completions')
      .leftJoin('contacts', (join) =>
        join.on((eb) => eb(eb.cast('contacts.id', 'text'), '=', eb.ref('completions.object_id'))),
      )
      .select('completions.id')
      .where('completions.object_type', '=', 'CONTACT')
      .where('completions.object_id', '!=', '')
      .where('contacts.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
  });
});
