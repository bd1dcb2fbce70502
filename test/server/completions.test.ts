import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionListSchema, type Completion, type ErrorDetail } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const LONG_NAME = `p${'x'.repeat(49)}`;
const WIDE_NAMES = Array.from({ length: 50 }, (_, index) => `p${index}`);

/** Sending completions: `POST /events/v3/send` and `/send/batch`, every limit and error case. */
describe.each(DATABASE_KINDS)('sending event completions on %s', (kind) => {
  let server: TestServer;
  let portalId: number;
  const fqn = (name: string) => `pe${portalId}_${name}`;

  const send = (json: unknown) => server.api('/events/v3/send', { method: 'POST', json });
  const batch = (inputs: unknown[]) => server.api('/events/v3/send/batch', { method: 'POST', json: { inputs } });
  /** A signup completion with its own uuid, so the test can find (or miss) exactly this one. */
  const signup = (extra: Record<string, unknown> = {}) => ({
    eventName: fqn('signup'),
    email: 'ada@example.com',
    uuid: randomUUID(),
    ...extra,
  });
  const stored = async (uuid: string): Promise<Completion | undefined> => {
    const row = await server.database.db
      .selectFrom('completions')
      .select('id')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (!row) return undefined;
    const page = completionListSchema.parse(await (await server.api('/events/v3/events?limit=500')).json());
    return page.results.find((result) => result.id === String(row.id));
  };
  const countStored = async (uuids: string[]) => {
    const row = await server.database.db
      .selectFrom('completions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('uuid', 'in', uuids)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  /** Asserts the whole error body: 400, VALIDATION_ERROR, the message and exactly these details. */
  const expectInvalid = async (response: Response, errors: ErrorDetail[], message?: string) => {
    expect(response.status).toBe(400);
    const first = errors[0]!;
    expect(await response.json()).toEqual({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: message ?? `Invalid event completion: ${first.in === 'body' ? '' : `${first.in}: `}${first.message}`,
      correlationId: response.headers.get('x-correlation-id'),
      errors,
    });
  };
  const expectStored = async (response: Response, uuid: string) => {
    expect(response.status, await response.clone().text()).toBe(204);
    expect(await response.text()).toBe('');
    const completion = await stored(uuid);
    expect(completion).toBeDefined();
    return completion!;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    portalId = server.bootstrap.portal.id;
    const definitions = [
      {
        label: 'Signup',
        propertyDefinitions: [
          {
            name: 'plan',
            label: 'Plan',
            type: 'enumeration',
            options: [
              { label: 'Free', value: 'free' },
              { label: 'Pro', value: 'pro' },
              { label: 'Team', value: 'team' },
            ],
          },
          { name: 'seats', label: 'Seats', type: 'number' },
          { name: 'renews_at', label: 'Renews at', type: 'datetime' },
          { name: 'note', label: 'Note', type: 'string' },
          { name: LONG_NAME, label: 'Longest name', type: 'string' },
          { name: 'url', label: 'Page URL', type: 'string' },
        ],
      },
      { label: 'Company upgraded', primaryObject: 'COMPANY' },
      { label: 'Wide', propertyDefinitions: WIDE_NAMES.map((name) => ({ name, label: name, type: 'string' })) },
      { label: 'Retired' },
    ];
    for (const json of definitions) {
      const response = await server.api('/events/v3/event-definitions', { method: 'POST', json });
      expect(response.status).toBe(201);
    }
    // Archived through storage: the test covers ingest, not the DELETE endpoint.
    await server.database.db
      .updateTable('event_definitions')
      .set({ archived: 1 })
      .where('portal_id', '=', portalId)
      .where('name', '=', 'retired')
      .execute();
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('POST /events/v3/send', () => {
    it('stores a completion and answers 204 with no body', async () => {
      const input = signup({
        occurredAt: '2024-03-01T10:00:00+02:00',
        properties: { plan: 'pro', seats: 3, renews_at: 1735689600000, note: 'hello', hs_page_title: 'Pricing' },
      });
      const completion = await expectStored(await send(input), input.uuid);
      expect(completion).toMatchObject({
        eventType: fqn('signup'),
        objectType: 'contact',
        occurredAt: '2024-03-01T08:00:00.000Z',
        properties: {
          plan: 'pro',
          seats: '3',
          renews_at: '2025-01-01T00:00:00.000Z',
          note: 'hello',
          hs_page_title: 'Pricing',
        },
      });
      expect(completion.objectId).toMatch(/^\d+$/);
    });

    it('defaults occurredAt to the time the server received the completion', async () => {
      const before = Date.now();
      const input = signup();
      const completion = await expectStored(await send(input), input.uuid);
      const occurredAt = Date.parse(completion.occurredAt);
      expect(occurredAt).toBeGreaterThanOrEqual(before);
      expect(occurredAt).toBeLessThanOrEqual(Date.now());
    });

    it.each([
      ['epoch milliseconds', 1700000000000, '2023-11-14T22:13:20.000Z'],
      ['epoch milliseconds as a string', '1700000000000', '2023-11-14T22:13:20.000Z'],
      ['ISO with Z', '2024-02-29T23:59:59.5Z', '2024-02-29T23:59:59.500Z'],
      ['ISO with an offset', '2024-01-01T00:30:00-05:30', '2024-01-01T06:00:00.000Z'],
      ['ISO without an offset (read as UTC)', '2024-01-01T12:00:00', '2024-01-01T12:00:00.000Z'],
      ['an ISO date', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ])('accepts occurredAt as %s and stores it normalised', async (_case, occurredAt, expected) => {
      const input = signup({ occurredAt });
      expect((await expectStored(await send(input), input.uuid)).occurredAt).toBe(expected);
    });

    it('accepts an occurredAt a little ahead of the server clock (client clock skew)', async () => {
      const input = signup({ occurredAt: Date.now() + 60_000 });
      await expectStored(await send(input), input.uuid);
    });

    it('rejects an occurredAt more than 5 minutes in the future', async () => {
      const future = Date.UTC(2100, 0, 1);
      const input = signup({ occurredAt: future });
      await expectInvalid(await send(input), [
        {
          message: 'occurredAt 2100-01-01T00:00:00.000Z is in the future; future dates are not supported',
          in: 'occurredAt',
          code: 'custom',
        },
      ]);
      expect(await countStored([input.uuid])).toBe(0);
    });

    it.each([
      ['a word', 'yesterday'],
      ['an impossible date', '2023-02-30T00:00:00Z'],
      ['a fractional epoch', 1.5],
      ['a boolean', true],
    ])('rejects occurredAt as %s', async (_case, occurredAt) => {
      const response = await send(signup({ occurredAt }));
      await expectInvalid(response, [
        {
          message: 'occurredAt must be an ISO 8601 date-time or epoch milliseconds',
          in: 'occurredAt',
          code: expect.any(String) as string,
        },
      ]);
    });

    it('rejects an occurredAt before 1970', async () => {
      await expectInvalid(await send(signup({ occurredAt: '1969-12-31T23:59:59Z' })), [
        { message: 'occurredAt must not be before 1970-01-01', in: 'occurredAt', code: 'custom' },
      ]);
    });
  });

  describe('property limits (the HTTP API rejects what the JS API would truncate)', () => {
    it('accepts exactly 50 properties and rejects 51', async () => {
      const fifty = Object.fromEntries(WIDE_NAMES.map((name) => [name, 'x']));
      const ok = signup({ eventName: fqn('wide'), properties: fifty });
      await expectStored(await send(ok), ok.uuid);
      const input = signup({ eventName: fqn('wide'), properties: { ...fifty, hs_url: 'https://example.com/' } });
      await expectInvalid(await send(input), [
        {
          message: 'a completion has at most 50 properties; this one has 51',
          in: 'properties',
          code: 'too_many_properties',
        },
      ]);
      expect(await countStored([input.uuid])).toBe(0);
    });

    it('counts names equal after lower-casing once (50 distinct names in 51 keys pass)', async () => {
      const properties = { ...Object.fromEntries(WIDE_NAMES.map((name) => [name, 'x'])), P0: 'upper' };
      const input = signup({ eventName: fqn('wide'), properties });
      expect((await expectStored(await send(input), input.uuid)).properties.p0).toBe('upper');
    });

    it('accepts a 50-character property name and rejects a 51-character one', async () => {
      const ok = signup({ properties: { [LONG_NAME]: 'fine' } });
      expect((await expectStored(await send(ok), ok.uuid)).properties).toEqual({ [LONG_NAME]: 'fine' });
      const tooLong = `${LONG_NAME}x`;
      await expectInvalid(await send(signup({ properties: { [tooLong]: 'x' } })), [
        {
          message: `property name "${tooLong}" is longer than 50 characters`,
          in: `properties.${tooLong}`,
          code: 'too_long',
        },
      ]);
    });

    it('accepts a 256-character value and rejects a 257-character one', async () => {
      const ok = signup({ properties: { note: 'a'.repeat(256) } });
      await expectStored(await send(ok), ok.uuid);
      await expectInvalid(await send(signup({ properties: { note: 'a'.repeat(257) } })), [
        { message: 'the value of "note" is longer than 256 characters', in: 'properties.note', code: 'too_long' },
      ]);
    });

    it.each(['url', 'referrer', 'hs_url', 'hs_referrer'])(
      'accepts a 1024-character %s and rejects a 1025-character one',
      async (name) => {
        const ok = signup({ properties: { [name]: `https://example.com/${'a'.repeat(1004)}` } });
        await expectStored(await send(ok), ok.uuid);
        await expectInvalid(await send(signup({ properties: { [name]: 'a'.repeat(1025) } })), [
          {
            message: `the value of "${name}" is longer than 1024 characters`,
            in: `properties.${name}`,
            code: 'too_long',
          },
        ]);
      },
    );

    it('limits other default properties to 256 characters', async () => {
      await expectInvalid(await send(signup({ properties: { hs_page_title: 'a'.repeat(257) } })), [
        {
          message: 'the value of "hs_page_title" is longer than 256 characters',
          in: 'properties.hs_page_title',
          code: 'too_long',
        },
      ]);
    });

    it.each(['1plan', 'with-dash', 'with space', 'émoji', '_under', ''])(
      'rejects the property name %j (internal-name pattern)',
      async (name) => {
        await expectInvalid(await send(signup({ properties: { [name]: 'x' } })), [
          {
            message: `property name ${JSON.stringify(name)} must start with a letter and contain only a-z, 0-9 and "_"`,
            in: `properties.${name}`,
            code: 'invalid_name',
          },
        ]);
      },
    );

    it('lower-cases property names', async () => {
      const input = signup({ properties: { NOTE: 'shouted', Plan: 'free' } });
      expect((await expectStored(await send(input), input.uuid)).properties).toEqual({ note: 'shouted', plan: 'free' });
    });

    it('uses one of several names equal after lower-casing: the first original key in sorted order', async () => {
      // "NOTE" < "Note" < "note" in code-unit order, whatever order the JSON lists them in.
      for (const properties of [
        { note: 'lower', Note: 'title', NOTE: 'upper' },
        { NOTE: 'upper', note: 'lower', Note: 'title' },
      ]) {
        const input = signup({ properties });
        expect((await expectStored(await send(input), input.uuid)).properties).toEqual({ note: 'upper' });
      }
    });

    it('ignores the unused duplicate entirely, even an invalid value', async () => {
      const input = signup({ properties: { SEATS: '7', seats: 'not a number' } });
      expect((await expectStored(await send(input), input.uuid)).properties).toEqual({ seats: '7' });
    });

    it('reports every bad property of a completion at once, naming each', async () => {
      await expectInvalid(await send(signup({ properties: { plan: 'gold', seats: 'ten', color: 'red' } })), [
        {
          message: '"plan" has no option "gold"; its options are free, pro, team (separate several with ";")',
          in: 'properties.plan',
          code: 'invalid_option',
        },
        {
          message: '"seats" is a number property; "ten" is not a number',
          in: 'properties.seats',
          code: 'invalid_number',
        },
        {
          message:
            '"color" is neither a property of this event nor a default event property; define it on the event first',
          in: 'properties.color',
          code: 'unknown_property',
        },
      ]);
    });

    it('rejects values that are neither strings, numbers nor booleans', async () => {
      await expectInvalid(await send(signup({ properties: { note: { nested: true } } })), [
        {
          message: 'a property value must be a string, a number or a boolean',
          in: 'properties.note',
          code: 'invalid_union',
        },
      ]);
    });
  });

  describe('property types', () => {
    it.each([
      ['a JSON number', 3, '3'],
      ['a numeric string', '3.5', '3.5'],
      ['a negative exponent string', '-1e3', '-1000'],
    ])('accepts a number property as %s', async (_case, seats, expected) => {
      const input = signup({ properties: { seats } });
      expect((await expectStored(await send(input), input.uuid)).properties.seats).toBe(expected);
    });

    it.each([['ten'], [''], ['0x10'], [' 3'], [true]])('rejects %j for a number property', async (seats) => {
      await expectInvalid(await send(signup({ properties: { seats } })), [
        {
          message: `"seats" is a number property; ${JSON.stringify(String(seats))} is not a number`,
          in: 'properties.seats',
          code: 'invalid_number',
        },
      ]);
    });

    it.each([
      ['epoch milliseconds', 1704067200000],
      ['epoch milliseconds as a string', '1704067200000'],
      ['ISO 8601 with an offset', '2024-01-01T01:00:00+01:00'],
      ['an ISO date', '2024-01-01'],
    ])('accepts a datetime property as %s, stored as ISO in UTC', async (_case, renews_at) => {
      const input = signup({ properties: { renews_at } });
      expect((await expectStored(await send(input), input.uuid)).properties.renews_at).toBe('2024-01-01T00:00:00.000Z');
    });

    it.each([['next week'], ['2024-13-01'], ['2023-02-29'], [true]])(
      'rejects %j for a datetime property',
      async (renews_at) => {
        await expectInvalid(await send(signup({ properties: { renews_at } })), [
          {
            message: `"renews_at" is a datetime property; ${JSON.stringify(String(renews_at))} is neither epoch milliseconds nor an ISO 8601 date-time`,
            in: 'properties.renews_at',
            code: 'invalid_datetime',
          },
        ]);
      },
    );

    it('accepts defined enumeration options, several separated by ";"', async () => {
      const input = signup({ properties: { plan: 'free;team' } });
      expect((await expectStored(await send(input), input.uuid)).properties.plan).toBe('free;team');
    });

    it.each([
      ['an undefined option', 'gold', '"gold"'],
      ['one undefined option among several', 'pro;gold', '"gold"'],
      ['an option in the wrong case', 'Pro', '"Pro"'],
      ['an empty value', '', '""'],
    ])('rejects %s for an enumeration property', async (_case, plan, named) => {
      await expectInvalid(await send(signup({ properties: { plan } })), [
        {
          message: `"plan" has no option ${named}; its options are free, pro, team (separate several with ";")`,
          in: 'properties.plan',
          code: 'invalid_option',
        },
      ]);
    });

    it('stores numbers and booleans sent for a string property as text', async () => {
      const input = signup({ properties: { note: 42, hs_language: true } });
      expect((await expectStored(await send(input), input.uuid)).properties).toEqual({
        note: '42',
        hs_language: 'true',
      });
    });

    it('type-checks default properties too (hs_screen_width is a number)', async () => {
      const ok = signup({ properties: { hs_screen_width: '1280' } });
      await expectStored(await send(ok), ok.uuid);
      await expectInvalid(await send(signup({ properties: { hs_screen_width: 'wide' } })), [
        {
          message: '"hs_screen_width" is a number property; "wide" is not a number',
          in: 'properties.hs_screen_width',
          code: 'invalid_number',
        },
      ]);
    });
  });

  describe('the event', () => {
    it('rejects an event of another portal, naming it', async () => {
      const eventName = `pe${portalId + 1000}_signup`;
      await expectInvalid(await send(signup({ eventName })), [
        {
          message: `"${eventName}" is not an event of portal ${portalId}; its events are named pe${portalId}_{name}`,
          in: 'eventName',
          code: 'wrong_portal',
        },
      ]);
    });

    it('rejects a name that is not fully qualified', async () => {
      await expectInvalid(await send(signup({ eventName: 'signup' })), [
        {
          message: 'eventName must be the fully qualified name pe{portalId}_{name}',
          in: 'eventName',
          code: 'invalid_format',
        },
      ]);
    });

    it('rejects an unknown event, naming it', async () => {
      await expectInvalid(await send(signup({ eventName: fqn('no_such_event') })), [
        {
          message: `no event named "no_such_event" exists (eventName "${fqn('no_such_event')}"); create its definition first`,
          in: 'eventName',
          code: 'unknown_event',
        },
      ]);
    });

    it('rejects completions of an archived event', async () => {
      const input = signup({ eventName: fqn('retired') });
      await expectInvalid(await send(input), [
        {
          message: 'event "retired" is archived and accepts no new completions',
          in: 'eventName',
          code: 'archived_event',
        },
      ]);
      expect(await countStored([input.uuid])).toBe(0);
    });

    it('rejects unknown fields and a missing eventName', async () => {
      await expectInvalid(await send({ ...signup(), colour: 'red' }), [
        { message: 'Unrecognized key: "colour"', in: 'body', code: 'unrecognized_keys' },
      ]);
      const response = await send({ email: 'ada@example.com' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: ErrorDetail[] }).errors[0]).toMatchObject({ in: 'eventName' });
    });

    it('rejects a body that is not JSON', async () => {
      const response = await server.api('/events/v3/send', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"eventName":',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe('The request body is not valid JSON.');
    });

    it('needs an API key', async () => {
      const response = await fetch(`${server.url}/events/v3/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(signup()),
      });
      expect(response.status).toBe(401);
    });
  });

  describe('identifying the record', () => {
    const objectIdOf = async (input: Record<string, unknown> & { uuid: string }) =>
      (await expectStored(await send(input), input.uuid)).objectId;

    it('needs email, utk or objectId', async () => {
      await expectInvalid(await send({ eventName: fqn('signup') }), [
        { message: 'identify the record: send email, utk or objectId', in: 'body', code: 'custom' },
      ]);
    });

    it('rejects an objectId sent with an email or utk', async () => {
      await expectInvalid(await send(signup({ objectId: 1 })), [
        {
          message: 'send objectId alone: email and utk identify a contact by themselves',
          in: 'objectId',
          code: 'custom',
        },
      ]);
    });

    it('rejects a malformed email or utk', async () => {
      await expectInvalid(await send(signup({ email: 'not-an-email' })), [
        { message: 'email must be an email address', in: 'email', code: 'invalid_format' },
      ]);
      await expectInvalid(await send({ eventName: fqn('signup'), utk: 'has space' }), [
        { message: 'utk must be 16 to 128 letters, digits, ".", "_" or "-"', in: 'utk', code: 'invalid_format' },
      ]);
      await expectInvalid(await send({ eventName: fqn('signup'), utk: 'visitor-1' }), [
        { message: 'utk must be 16 to 128 letters, digits, ".", "_" or "-"', in: 'utk', code: 'invalid_format' },
      ]);
    });

    it('creates a contact for a new email and reuses it, ignoring the case of the email', async () => {
      const first = await objectIdOf(signup({ email: 'grace@example.com' }));
      expect(await objectIdOf(signup({ email: 'Grace@Example.COM' }))).toBe(first);
      expect(await objectIdOf(signup({ email: 'other@example.com' }))).not.toBe(first);
    });

    it('resolves a utk seen before to its contact, and gives an anonymous visitor its email when it is sent', async () => {
      const utk = `visitor-${randomUUID()}`;
      const anonymous = await objectIdOf({ eventName: fqn('signup'), utk, uuid: randomUUID() });
      expect(await objectIdOf({ eventName: fqn('signup'), utk, uuid: randomUUID() })).toBe(anonymous);
      // The visitor identifies themselves: the same contact, now with the email.
      const email = `linked-${randomUUID()}@example.com`;
      expect(await objectIdOf({ eventName: fqn('signup'), utk, email, uuid: randomUUID() })).toBe(anonymous);
      expect(await objectIdOf({ eventName: fqn('signup'), email, uuid: randomUUID() })).toBe(anonymous);
    });

    it('links a utk sent with a known email to that email’s contact', async () => {
      const email = `known-${randomUUID()}@example.com`;
      const contact = await objectIdOf(signup({ email }));
      const utk = `browser-${randomUUID()}`;
      const other = await objectIdOf({ eventName: fqn('signup'), utk, uuid: randomUUID() });
      expect(other).not.toBe(contact);
      expect(await objectIdOf({ eventName: fqn('signup'), utk, email, uuid: randomUUID() })).toBe(contact);
      expect(await objectIdOf({ eventName: fqn('signup'), utk, uuid: randomUUID() })).toBe(contact);
    });

    it('accepts the id of an existing contact as objectId, and rejects an unknown one', async () => {
      const contact = await objectIdOf(signup({ email: `by-id-${randomUUID()}@example.com` }));
      expect(await objectIdOf({ eventName: fqn('signup'), objectId: contact, uuid: randomUUID() })).toBe(contact);
      expect(await objectIdOf({ eventName: fqn('signup'), objectId: Number(contact), uuid: randomUUID() })).toBe(
        contact,
      );
      for (const objectId of ['99999999', 'abc']) {
        await expectInvalid(await send({ eventName: fqn('signup'), objectId }), [
          { message: `no contact has the id "${objectId}"`, in: 'objectId', code: 'unknown_object' },
        ]);
      }
    });

    it('stores the objectId of other objects as given', async () => {
      const company = { eventName: fqn('company_upgraded'), objectId: 'acme-42', uuid: randomUUID() };
      const completion = await expectStored(await send(company), company.uuid);
      expect(completion).toMatchObject({ objectType: 'company', objectId: 'acme-42' });
      const numeric = { eventName: fqn('company_upgraded'), objectId: 1234, uuid: randomUUID() };
      expect((await expectStored(await send(numeric), numeric.uuid)).objectId).toBe('1234');
    });

    it('needs objectId for events of other objects', async () => {
      await expectInvalid(await send({ eventName: fqn('company_upgraded'), email: 'ada@example.com' }), [
        {
          message:
            'event "company_upgraded" is associated with COMPANY records: identify the record with objectId (email and utk identify contacts)',
          in: 'objectId',
          code: 'object_required',
        },
      ]);
    });
  });

  describe('uuid', () => {
    it('stores a repeated uuid once and still answers 204', async () => {
      const uuid = randomUUID();
      expect((await send(signup({ uuid, properties: { note: 'first' } }))).status).toBe(204);
      expect((await send(signup({ uuid, properties: { note: 'second' } }))).status).toBe(204);
      expect((await batch([signup({ uuid }), signup({ uuid })])).status).toBe(204);
      expect(await countStored([uuid])).toBe(1);
      expect((await stored(uuid))?.properties).toEqual({ note: 'first' });
    });

    it('stores a uuid repeated within one batch once', async () => {
      const uuid = randomUUID();
      expect(
        (await batch([signup({ uuid, properties: { note: 'a' } }), signup({ uuid, properties: { note: 'b' } })]))
          .status,
      ).toBe(204);
      expect(await countStored([uuid])).toBe(1);
      expect((await stored(uuid))?.properties).toEqual({ note: 'a' });
    });

    it('stores every concurrent send exactly once', async () => {
      const uuids = Array.from({ length: 40 }, () => randomUUID());
      const responses = await Promise.all(
        [...uuids, ...uuids.slice(0, 10)].map((uuid) => send(signup({ uuid, email: 'burst@example.com' }))),
      );
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 204));
      expect(await countStored(uuids)).toBe(40);
      const contacts = await server.database.db
        .selectFrom('contacts')
        .select('id')
        .where('email', '=', 'burst@example.com')
        .execute();
      expect(contacts).toHaveLength(1);
    });
  });

  describe('POST /events/v3/send/batch', () => {
    it('stores every input and answers 204', async () => {
      const inputs = [
        signup({ properties: { plan: 'pro' } }),
        { eventName: fqn('company_upgraded'), objectId: '7', uuid: randomUUID() },
        signup({ utk: `batch-${randomUUID()}`, email: undefined }),
      ];
      const response = await batch(inputs);
      expect(response.status).toBe(204);
      expect(await countStored(inputs.map((input) => input.uuid))).toBe(3);
    });

    it('stores nothing when one input is invalid, and names its index', async () => {
      const inputs = [signup(), signup({ properties: { plan: 'gold' } }), signup()];
      const detail = {
        message: '"plan" has no option "gold"; its options are free, pro, team (separate several with ";")',
        in: 'inputs.1.properties.plan',
        code: 'invalid_option',
      };
      await expectInvalid(
        await batch(inputs),
        [detail],
        `Invalid batch: 1 of 3 inputs are invalid, so nothing was stored; first: ${detail.in}: ${detail.message}`,
      );
      expect(await countStored(inputs.map((input) => input.uuid))).toBe(0);
    });

    it('reports every invalid input, in order, schema and definition errors alike', async () => {
      const inputs = [
        signup(),
        signup({ eventName: fqn('retired') }),
        signup({ email: 'nope' }),
        signup({ properties: { size: 'xl' } }),
      ];
      const response = await batch(inputs);
      await expectInvalid(
        response,
        [
          {
            message: 'event "retired" is archived and accepts no new completions',
            in: 'inputs.1.eventName',
            code: 'archived_event',
          },
          { message: 'email must be an email address', in: 'inputs.2.email', code: 'invalid_format' },
          {
            message:
              '"size" is neither a property of this event nor a default event property; define it on the event first',
            in: 'inputs.3.properties.size',
            code: 'unknown_property',
          },
        ],
        'Invalid batch: 3 of 4 inputs are invalid, so nothing was stored; first: inputs.1.eventName: event "retired" is archived and accepts no new completions',
      );
      expect(await countStored(inputs.map((input) => input.uuid))).toBe(0);
    });

    it('stores nothing when a contact objectId of one input does not exist', async () => {
      const inputs = [signup(), { eventName: fqn('signup'), objectId: '987654321', uuid: randomUUID() }];
      const response = await batch(inputs);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: ErrorDetail[] }).errors).toEqual([
        { message: 'no contact has the id "987654321"', in: 'inputs.1.objectId', code: 'unknown_object' },
      ]);
      expect(await countStored(inputs.map((input) => input.uuid))).toBe(0);
    });

    it('accepts 500 inputs', async () => {
      const inputs = Array.from({ length: 500 }, (_, index) => signup({ properties: { seats: index } }));
      expect((await batch(inputs)).status).toBe(204);
      expect(await countStored(inputs.map((input) => input.uuid))).toBe(500);
    });

    it('caps the error details of a batch at 100 and counts every invalid input in the message', async () => {
      const inputs = Array.from({ length: 500 }, () => signup({ properties: { plan: 'gold' } }));
      const response = await batch(inputs);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { message: string; errors: ErrorDetail[] };
      expect(body.message).toMatch(
        /^Invalid batch: 500 of 500 inputs are invalid, so nothing was stored; first: inputs\.0\./,
      );
      expect(body.errors).toHaveLength(100);
    });

    it.each([
      [
        'no inputs',
        { inputs: [] },
        { message: 'inputs must hold at least one completion', in: 'inputs', code: 'too_small' },
      ],
      [
        '501 inputs',
        { inputs: Array.from({ length: 501 }, () => ({})) },
        { message: 'a batch holds at most 500 inputs', in: 'inputs', code: 'too_big' },
      ],
      [
        'a missing inputs array',
        { input: [] },
        { message: 'Invalid input: expected array, received undefined', in: 'inputs', code: 'invalid_type' },
      ],
    ])('rejects a batch with %s', async (_case, json, detail) => {
      const response = await server.api('/events/v3/send/batch', { method: 'POST', json });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { category: string; errors: ErrorDetail[] };
      expect(body.category).toBe('VALIDATION_ERROR');
      expect(body.errors[0]).toEqual(detail);
    });

    it('answers 413 to a body over 1 MB', async () => {
      const inputs = Array.from({ length: 500 }, () =>
        signup({ properties: { url: 'u'.repeat(1024), hs_url: 'h'.repeat(1024), referrer: 'r'.repeat(1024) } }),
      );
      const response = await batch(inputs);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { category: string }).category).toBe('PAYLOAD_TOO_LARGE');
    });
  });
});
