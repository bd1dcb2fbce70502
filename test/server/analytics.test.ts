import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  breakdownSchema,
  funnelSchema,
  multiSeriesSchema,
  seriesSchema,
  type ApiError,
  type Breakdown,
  type Funnel,
  type Series,
} from '../../lib/shared';
import { createApiKey } from '../../server/storage/api-keys';
import { createPortal } from '../../server/storage/portals';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

/**
 * The analytics API on hand-built data whose counts are worked out by hand below. Times are UTC;
 * the comments give the local dates in Europe/Stockholm (CET +1, CEST +2 from 2025-03-30 01:00Z
 * to 2025-10-26 01:00Z) and America/New_York (EST -5 until 2025-03-09).
 */
const SIGNUPS: { email: string; at: string; properties?: Record<string, string> }[] = [
  /* 1 */ { email: 'ada@example.com', at: '2025-02-28T23:30:00Z', properties: { plan: 'free' } }, // Sthlm Mar 1 00:30, NY Feb 28
  /* 2 */ { email: 'bob@example.com', at: '2025-03-01T10:00:00Z', properties: { plan: 'pro', seats: '3' } }, // Sat
  /* 3 */ { email: 'ada@example.com', at: '2025-03-02T12:00:00Z', properties: { plan: 'pro;team' } }, // Sun
  /* 4 */ { email: 'cy@example.com', at: '2025-03-03T00:30:00Z', properties: { plan: 'team', seats: '10' } }, // Mon; NY Sun Mar 2
  /* 5 */ { email: 'ada@example.com', at: '2025-03-03T09:00:00Z' }, // Mon, no plan
  /* 6 */ { email: 'bob@example.com', at: '2025-03-30T21:59:59Z', properties: { plan: 'free' } }, // Sthlm Mar 30 23:59:59 CEST
  /* 7 */ { email: 'dee@example.com', at: '2025-03-29T23:30:00Z', properties: { plan: 'pro', seats: '3' } }, // Sthlm Mar 30 00:30 CET
  /* 8 */ { email: 'cy@example.com', at: '2025-03-30T22:00:00Z', properties: { plan: 'free' } }, // Sthlm Mar 31 00:00
  /* 9 */ { email: 'dee@example.com', at: '2025-10-25T22:00:00Z', properties: { plan: 'free' } }, // Sthlm Oct 26 00:00 CEST
  /* 10 */ { email: 'ada@example.com', at: '2025-10-26T22:30:00Z', properties: { plan: 'pro' } }, // Sthlm Oct 26 23:30 CET
  /* 11 */ { email: 'bob@example.com', at: '2025-10-25T21:59:00Z', properties: { plan: 'pro' } }, // Sthlm Oct 25 23:59
];

/** Funnel data in June 2025: viewed pricing → signed up → paid. */
const FUNNEL: { event: string; email: string; at: string }[] = [
  { event: 'viewed_pricing', email: 'ada@example.com', at: '2025-06-01T10:00:00Z' },
  { event: 'signed_up', email: 'ada@example.com', at: '2025-06-02T10:00:00Z' },
  { event: 'paid', email: 'ada@example.com', at: '2025-06-03T10:00:00Z' },
  // bob signs up 9 days after viewing: outside P7D, inside P10D.
  { event: 'viewed_pricing', email: 'bob@example.com', at: '2025-06-01T10:00:00Z' },
  { event: 'signed_up', email: 'bob@example.com', at: '2025-06-10T10:00:00Z' },
  // cy signed up before viewing pricing: the order does not match.
  { event: 'signed_up', email: 'cy@example.com', at: '2025-06-01T09:00:00Z' },
  { event: 'viewed_pricing', email: 'cy@example.com', at: '2025-06-01T10:00:00Z' },
  // dee paid before signing up: reaches step 2 only.
  { event: 'paid', email: 'dee@example.com', at: '2025-06-04T10:00:00Z' },
  { event: 'viewed_pricing', email: 'dee@example.com', at: '2025-06-05T10:00:00Z' },
  { event: 'signed_up', email: 'dee@example.com', at: '2025-06-05T11:00:00Z' },
  // eve viewed pricing before the range starts: not in the funnel.
  { event: 'viewed_pricing', email: 'eve@example.com', at: '2025-05-31T23:00:00Z' },
  { event: 'signed_up', email: 'eve@example.com', at: '2025-06-02T10:00:00Z' },
];

const PLAN_OPTIONS = [
  { label: 'Free plan', value: 'free' },
  { label: 'Pro plan', value: 'pro' },
  { label: 'Team plan', value: 'team' },
];

type Api = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;

describe.each(DATABASE_KINDS)('analytics API on %s', (kind) => {
  let server: TestServer;
  let portalId: number;
  let otherApi: Api;
  const api: Api = (path, init) => server.api(path, init);

  const get = async <T>(path: string, schema: { parse: (value: unknown) => T }, client: Api = api): Promise<T> => {
    const response = await client(path);
    expect(response.status, await response.clone().text()).toBe(200);
    return schema.parse(await response.json());
  };
  const refused = async (path: string): Promise<ApiError> => {
    const response = await server.api(path);
    expect(response.status, await response.clone().text()).toBe(400);
    return (await response.json()) as ApiError;
  };
  const points = (series: Series) =>
    series.points.map((point) => [point.start, point.completions, point.uniqueContacts]);
  const series = (query: string, event = 'signed_up') =>
    get(`/analytics/v1/events/${event}/series?${query}`, seriesSchema);

  async function define(api: Api, json: object) {
    const response = await api('/events/v3/event-definitions', { method: 'POST', json });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  async function send(api: Api, portal: number, inputs: object[]) {
    const response = await api('/events/v3/send/batch', {
      method: 'POST',
      json: {
        inputs: inputs.map((input) => ({
          ...input,
          eventName: `pe${portal}_${(input as { eventName: string }).eventName}`,
        })),
      },
    });
    expect(response.status, await response.clone().text()).toBe(204);
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    portalId = server.bootstrap.portal.id;
    await define(api, {
      label: 'Signed up',
      propertyDefinitions: [
        { name: 'plan', label: 'Plan', type: 'enumeration', options: PLAN_OPTIONS },
        { name: 'seats', label: 'Seats', type: 'number' },
      ],
    });
    await define(api, { label: 'Viewed pricing' });
    await define(api, { label: 'Paid' });
    await define(api, { label: 'Old promo' });
    await send(
      api,
      portalId,
      SIGNUPS.map(({ email, at, properties }) => ({ eventName: 'signed_up', email, occurredAt: at, properties })),
    );
    await send(
      api,
      portalId,
      FUNNEL.map(({ event, email, at }) => ({ eventName: event, email, occurredAt: at })),
    );
    await send(api, portalId, [
      { eventName: 'old_promo', email: 'ada@example.com', occurredAt: '2025-03-01T12:00:00Z' },
      { eventName: 'old_promo', email: 'bob@example.com', occurredAt: '2025-03-02T12:00:00Z' },
      { eventName: 'old_promo', email: 'ada@example.com', occurredAt: '2025-03-02T13:00:00Z' },
    ]);
    expect((await server.api('/events/v3/event-definitions/old_promo', { method: 'DELETE' })).status).toBe(204);

    // A value stored while "legacy" was still an option of the plan property (since removed).
    const db = server.database.db;
    const signedUp = await db
      .selectFrom('event_definitions')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('name', '=', 'signed_up')
      .executeTakeFirstOrThrow();
    const cy = await db
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', 'cy@example.com')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('completions')
      .values({
        portal_id: portalId,
        definition_id: signedUp.id,
        object_type: 'CONTACT',
        object_id: String(cy.id),
        occurred_at: Date.parse('2025-03-15T12:00:00Z'),
        uuid: null,
        properties_json: JSON.stringify({ plan: 'legacy' }),
        received_at: Date.now(),
      })
      .execute();

    // Another portal: the same event name and contact emails, one completion.
    const other = await createPortal(db, 'Other portal');
    const key = await createApiKey(db, other.id, 'other');
    otherApi = (path, init = {}) => {
      const { json, ...rest } = init;
      return fetch(server.url + path, {
        ...rest,
        headers: {
          Authorization: `Bearer ${key.key}`,
          ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: json === undefined ? rest.body : JSON.stringify(json),
      });
    };
    await define(otherApi, { label: 'Signed up' });
    await send(otherApi, other.id, [
      { eventName: 'signed_up', email: 'ada@example.com', occurredAt: '2025-03-01T12:00:00Z' },
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('series', () => {
    it('counts completions and distinct contacts per day, zero-filled, in UTC by default', async () => {
      const result = await series('from=2025-02-27&to=2025-03-04');
      expect(result).toMatchObject({
        eventName: 'signed_up',
        label: 'Signed up',
        archived: false,
        interval: 'day',
        timeZone: 'UTC',
      });
      expect(points(result)).toEqual([
        ['2025-02-27', 0, 0],
        ['2025-02-28', 1, 1],
        ['2025-03-01', 1, 1],
        ['2025-03-02', 1, 1],
        ['2025-03-03', 2, 2],
        ['2025-03-04', 0, 0],
      ]);
      // ada completed on three days: counted once over the range, not summed.
      expect(result.totals).toEqual({ completions: 5, uniqueContacts: 3 });
    });

    it('buckets by the local date of the time zone', async () => {
      expect(points(await series('from=2025-02-28&to=2025-03-03&timeZone=Europe/Stockholm'))).toEqual([
        ['2025-02-28', 0, 0],
        ['2025-03-01', 2, 2],
        ['2025-03-02', 1, 1],
        ['2025-03-03', 2, 2],
      ]);
      expect(points(await series('from=2025-02-28&to=2025-03-03&timeZone=America/New_York'))).toEqual([
        ['2025-02-28', 1, 1],
        ['2025-03-01', 1, 1],
        ['2025-03-02', 2, 2],
        ['2025-03-03', 1, 1],
      ]);
    });

    it('gives the 23-hour day of the spring daylight-saving change its own hours', async () => {
      expect(points(await series('from=2025-03-29&to=2025-03-31&timeZone=Europe/Stockholm'))).toEqual([
        ['2025-03-29', 0, 0],
        ['2025-03-30', 2, 2],
        ['2025-03-31', 1, 1],
      ]);
      expect(points(await series('from=2025-03-29&to=2025-03-31'))).toEqual([
        ['2025-03-29', 1, 1],
        ['2025-03-30', 2, 2],
        ['2025-03-31', 0, 0],
      ]);
    });

    it('gives the 25-hour day of the autumn daylight-saving change its own hours', async () => {
      expect(points(await series('from=2025-10-25&to=2025-10-27&timeZone=Europe/Stockholm'))).toEqual([
        ['2025-10-25', 1, 1],
        ['2025-10-26', 2, 2],
        ['2025-10-27', 0, 0],
      ]);
      expect(points(await series('from=2025-10-25&to=2025-10-27'))).toEqual([
        ['2025-10-25', 2, 2],
        ['2025-10-26', 1, 1],
        ['2025-10-27', 0, 0],
      ]);
    });

    it('starts weeks on Monday, or on Sunday when asked, counting only days in the range', async () => {
      const monday = await series('from=2025-02-26&to=2025-03-05&interval=week');
      expect(points(monday)).toEqual([
        ['2025-02-24', 3, 2],
        ['2025-03-03', 2, 2],
      ]);
      expect(monday.totals).toEqual({ completions: 5, uniqueContacts: 3 });
      expect(points(await series('from=2025-02-26&to=2025-03-05&interval=week&weekStart=sunday'))).toEqual([
        ['2025-02-23', 2, 2],
        ['2025-03-02', 3, 2],
      ]);
      // In New York cy's Monday 00:30 UTC is Sunday evening: it moves to the first Monday week.
      expect(points(await series('from=2025-02-26&to=2025-03-05&interval=week&timeZone=America/New_York'))).toEqual([
        ['2025-02-24', 4, 3],
        ['2025-03-03', 1, 1],
      ]);
    });

    it('buckets by calendar month in the zone', async () => {
      const utc = await series('from=2025-02-01&to=2025-03-31&interval=month');
      expect(points(utc)).toEqual([
        ['2025-02-01', 1, 1],
        ['2025-03-01', 8, 4],
      ]);
      expect(utc.totals).toEqual({ completions: 9, uniqueContacts: 4 });
      expect(points(await series('from=2025-02-01&to=2025-03-31&interval=month&timeZone=Europe/Stockholm'))).toEqual([
        ['2025-02-01', 0, 0],
        ['2025-03-01', 9, 4],
      ]);
    });

    it('covers a leap year of days (366 buckets) and a year of months', async () => {
      const year = await series('from=2024-01-01&to=2024-12-31');
      expect(year.points).toHaveLength(366);
      expect(year.totals).toEqual({ completions: 0, uniqueContacts: 0 });
      const months = await series('from=2025-01-01&to=2025-12-31&interval=month');
      expect(months.points.map((point) => point.completions)).toEqual([0, 1, 8, 0, 0, 5, 0, 0, 0, 3, 0, 0]);
      expect(months.totals).toEqual({ completions: 17, uniqueContacts: 5 });
    });

    it('answers for archived events, whose history stays', async () => {
      const result = await series('from=2025-03-01&to=2025-03-02', 'old_promo');
      expect(result.archived).toBe(true);
      expect(points(result)).toEqual([
        ['2025-03-01', 1, 1],
        ['2025-03-02', 2, 2],
      ]);
      expect(result.totals).toEqual({ completions: 3, uniqueContacts: 2 });
    });

    it('accepts the fully qualified name', async () => {
      const result = await series('from=2025-03-01&to=2025-03-02', `pe${portalId}_old_promo`);
      expect(result.totals.completions).toBe(3);
    });

    it('returns one series per event from /analytics/v1/series', async () => {
      const result = await get(
        '/analytics/v1/series?eventName=signed_up&eventName=old_promo&from=2025-03-01&to=2025-03-03&timeZone=Europe/Stockholm',
        multiSeriesSchema,
      );
      expect(result).toMatchObject({
        interval: 'day',
        timeZone: 'Europe/Stockholm',
        from: '2025-03-01',
        to: '2025-03-03',
      });
      expect(result.series.map((one) => [one.eventName, points(one), one.totals])).toEqual([
        [
          'signed_up',
          [
            ['2025-03-01', 2, 2],
            ['2025-03-02', 1, 1],
            ['2025-03-03', 2, 2],
          ],
          { completions: 5, uniqueContacts: 3 },
        ],
        [
          'old_promo',
          [
            ['2025-03-01', 1, 1],
            ['2025-03-02', 2, 2],
            ['2025-03-03', 0, 0],
          ],
          { completions: 3, uniqueContacts: 2 },
        ],
      ]);
    });

    it('keeps portals apart', async () => {
      const other = await get(
        '/analytics/v1/events/signed_up/series?from=2025-02-28&to=2025-12-31&interval=month',
        seriesSchema,
        otherApi,
      );
      expect(other.totals).toEqual({ completions: 1, uniqueContacts: 1 });
      const response = await otherApi(`/analytics/v1/events/pe${portalId}_signed_up/series`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ApiError).errors[0]).toMatchObject({ in: 'eventName', code: 'unknown_event' });
      expect((await otherApi('/analytics/v1/events/old_promo/series')).status).toBe(400);
    });
  });

  describe('breakdown', () => {
    const breakdown = (query: string) =>
      get(`/analytics/v1/events/signed_up/breakdown?from=2025-02-01&to=2025-05-31&${query}`, breakdownSchema);
    const rows = (result: Breakdown) =>
      result.values.map((value) => [value.value, value.label, value.completions, value.uniqueContacts]);

    it('counts enumeration values by option label, each value of a multi-value once', async () => {
      const result = await breakdown('property=plan');
      expect(result).toMatchObject({ eventName: 'signed_up', property: 'plan', propertyLabel: 'Plan' });
      expect(rows(result)).toEqual([
        ['free', 'Free plan', 3, 3],
        ['pro', 'Pro plan', 3, 3],
        ['team', 'Team plan', 2, 2],
      ]);
      expect(result.totals).toEqual({ completions: 9, uniqueContacts: 4 });
      expect(result.other).toEqual({ completions: 1, uniqueContacts: 1 }); // "legacy", no longer an option
      expect(result.missing).toEqual({ completions: 1, uniqueContacts: 1 });
    });

    it('groups values beyond the limit as other, counting their contacts once', async () => {
      const result = await breakdown('property=plan&limit=2');
      expect(rows(result)).toEqual([
        ['free', 'Free plan', 3, 3],
        ['pro', 'Pro plan', 3, 3],
      ]);
      // team (ada, cy) and legacy (cy).
      expect(result.other).toEqual({ completions: 3, uniqueContacts: 2 });
    });

    it('breaks down a number property by value', async () => {
      const result = await breakdown('property=seats');
      expect(rows(result)).toEqual([
        ['3', '3', 2, 2],
        ['10', '10', 1, 1],
      ]);
      expect(result.missing).toEqual({ completions: 6, uniqueContacts: 3 });
      expect(result.other).toEqual({ completions: 0, uniqueContacts: 0 });
    });

    it('breaks down a default property in the time zone’s range', async () => {
      const result = await get(
        '/analytics/v1/events/signed_up/breakdown?property=hs_url&from=2025-03-30&to=2025-03-30&timeZone=Europe/Stockholm',
        breakdownSchema,
      );
      expect(result.values).toEqual([]);
      expect(result.missing).toEqual({ completions: 2, uniqueContacts: 2 });
    });
  });

  describe('funnel', () => {
    const funnel = (query: string) =>
      get(
        `/analytics/v1/funnel?step=viewed_pricing&step=signed_up&step=paid&from=2025-06-01&to=2025-06-30&${query}`,
        funnelSchema,
      );
    const steps = (result: Funnel) =>
      result.steps.map((step) => [
        step.eventName,
        step.contacts,
        step.conversionFromPrevious,
        step.conversionFromFirst,
      ]);

    it('counts contacts who did each step after the previous one within the window', async () => {
      const result = await funnel('');
      expect(result.window).toBe('P7D');
      expect(steps(result)).toEqual([
        ['viewed_pricing', 4, 1, 1],
        ['signed_up', 2, 0.5, 0.5],
        ['paid', 1, 0.5, 0.25],
      ]);
      expect(result.steps[1]!.label).toBe('Signed up');
    });

    it('takes a longer window', async () => {
      expect(steps(await funnel('window=P10D'))).toEqual([
        ['viewed_pricing', 4, 1, 1],
        ['signed_up', 3, 0.75, 0.75],
        ['paid', 1, 1 / 3, 0.25],
      ]);
    });

    it('lets a step repeat the previous event', async () => {
      const result = await get(
        '/analytics/v1/funnel?step=signed_up&step=signed_up&from=2025-03-01&to=2025-03-31',
        funnelSchema,
      );
      // In March: ada signed up on the 2nd and 3rd; bob, cy, dee once each within 7 days.
      expect(steps(result)).toEqual([
        ['signed_up', 4, 1, 1],
        ['signed_up', 1, 0.25, 0.25],
      ]);
    });
  });

  describe('bad input', () => {
    it.each([
      ['/analytics/v1/events/nope/series', 'eventName', 'unknown_event'],
      ['/analytics/v1/events/signed_up/series?from=2025-03-02&to=2025-03-01', 'from', 'invalid_range'],
      ['/analytics/v1/events/signed_up/series?from=2024-01-01&to=2025-01-01', 'from', 'too_many_buckets'],
      ['/analytics/v1/events/signed_up/series?timeZone=Mars/Olympus', 'timeZone', 'custom'],
      ['/analytics/v1/events/signed_up/series?from=2025-02-30', 'from', 'custom'],
      ['/analytics/v1/events/signed_up/series?interval=hour', 'interval', 'invalid_value'],
      ['/analytics/v1/events/signed_up/series?weekStart=friday', 'weekStart', 'invalid_value'],
      ['/analytics/v1/events/signed_up/series?to=2025-01-01&to=2025-02-01', 'to', 'invalid_type'],
      ['/analytics/v1/events/signed_up/series?colour=red', 'colour', 'unrecognized_keys'],
      ['/analytics/v1/series', 'eventName', 'invalid_type'],
      ['/analytics/v1/series?eventName=signed_up&eventName=nope', 'eventName', 'unknown_event'],
      ['/analytics/v1/events/signed_up/breakdown?property=colour', 'property', 'unknown_property'],
      ['/analytics/v1/events/signed_up/breakdown', 'property', 'invalid_type'],
      ['/analytics/v1/events/signed_up/breakdown?property=plan&limit=0', 'limit', 'custom'],
      [
        '/analytics/v1/events/signed_up/breakdown?property=plan&from=2024-01-01&to=2025-03-01',
        'from',
        'range_too_long',
      ],
      ['/analytics/v1/funnel?step=signed_up', 'step', 'too_small'],
      ['/analytics/v1/funnel?step=signed_up&step=nope', 'step', 'unknown_event'],
      ['/analytics/v1/funnel?step=a&step=b&step=c&step=d&step=e&step=f', 'step', 'too_big'],
      ['/analytics/v1/funnel?step=signed_up&step=paid&window=P1M', 'window', 'custom'],
      ['/analytics/v1/funnel?step=signed_up&step=paid&window=P91D', 'window', 'custom'],
    ])('%s → 400 naming %s', async (path, parameter, code) => {
      const body = await refused(path);
      expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(body.errors[0]).toMatchObject({ in: parameter, code });
      expect(body.message).toContain(parameter);
    });

    it('asks for an API key', async () => {
      expect((await fetch(`${server.url}/analytics/v1/events/signed_up/series`)).status).toBe(401);
    });
  });
});
