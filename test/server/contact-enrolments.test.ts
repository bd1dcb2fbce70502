import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, contactSchema, enrolmentListSchema, workflowSchema, type Workflow } from '../../lib/shared';
import { ManualClock } from '../../server/workflows/clock';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

/** `GET /automation/v1/contacts/{contactId}/enrolments`: the Contact view's enrolment history (issue 14). */
describe.each(DATABASE_KINDS)('contact enrolment history on %s', (kind) => {
  let server: TestServer;
  let clock: ManualClock;
  let portalId: number;

  const create = async (json: unknown): Promise<Workflow> => {
    const response = await server.api('/automation/v1/workflows', { method: 'POST', json });
    expect(response.status, await response.clone().text()).toBe(201);
    return workflowSchema.parse(await response.json());
  };
  const send = async (name: string, email: string) => {
    const response = await server.api('/events/v3/send', {
      method: 'POST',
      json: { eventName: `pe${portalId}_${name}`, email },
    });
    expect(response.status, await response.clone().text()).toBe(204);
  };
  const contactId = async (email: string) =>
    contactSchema.parse(await (await server.api(`/contacts/v1/contacts?${new URLSearchParams({ email })}`)).json()).id;
  const history = async (id: string, query = '') => {
    const response = await server.api(`/automation/v1/contacts/${id}/enrolments${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return enrolmentListSchema.parse(await response.json()).results;
  };

  beforeAll(async () => {
    clock = new ManualClock();
    server = await startTestServer(kind, { workflows: { clock, pollIntervalMs: 0 } });
    portalId = server.bootstrap.portal.id;
    for (const label of ['Signed up', 'Purchase']) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: { label } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lists only this contact's enrolments, newest first, with status, step and history", async () => {
    const tagged = await create({
      name: 'Tag sign-ups',
      enabled: true,
      triggers: [{ eventName: 'signed_up' }],
      steps: [{ id: 'tag', type: 'setContactProperty', property: 'lifecycle', value: 'trial' }],
    });
    const waiting = await create({
      name: 'Wait for a purchase',
      enabled: true,
      triggers: [{ eventName: 'signed_up' }],
      steps: [{ id: 'wait', type: 'delayUntilEvent', eventName: 'purchase', maxWaitSeconds: 3600 }],
    });
    await send('signed_up', 'ada@example.com');
    await send('signed_up', 'bob@example.com');
    await server.workflows.drain();

    const ada = await contactId('ada@example.com');
    const enrolments = await history(ada);
    expect(enrolments.map((entry) => [entry.workflowName, entry.status])).toEqual([
      ['Wait for a purchase', 'waiting'],
      ['Tag sign-ups', 'finished'],
    ]);
    expect(enrolments.every((entry) => entry.contactId === ada)).toBe(true);
    const [wait, tag] = enrolments;
    expect(wait).toMatchObject({ workflowId: waiting.id, stepId: 'wait', finishedAt: null });
    expect(new Date(wait!.nextRunAt!).getTime()).toBe(clock.now() + 3600 * 1000);
    expect(wait!.history.map((entry) => entry.kind)).toEqual(['enrolled', 'waiting']);
    expect(tag).toMatchObject({ workflowId: tagged.id, stepId: null });
    expect(tag!.history.map((entry) => [entry.kind, entry.stepId])).toEqual([
      ['enrolled', null],
      ['step', 'tag'],
      ['finished', null],
    ]);

    // Met: the purchase ends the wait, and the history says so.
    await send('purchase', 'ada@example.com');
    await server.workflows.drain();
    const [met] = await history(ada);
    expect(met!.status).toBe('finished');
    expect(met!.history.map((entry) => entry.kind)).toEqual(['enrolled', 'waiting', 'met', 'finished']);

    expect(await history(ada, '?limit=1')).toHaveLength(1);
    const bob = await contactId('bob@example.com');
    expect((await history(bob)).every((entry) => entry.contactId === bob)).toBe(true);
  });

  it('answers an empty list for a contact never enrolled, 404 for a malformed id, 400 for a bad limit', async () => {
    expect(await history('999999')).toEqual([]);
    const malformed = await server.api('/automation/v1/contacts/ada/enrolments');
    expect(malformed.status).toBe(404);
    const limit = await server.api('/automation/v1/contacts/1/enrolments?limit=0');
    expect(limit.status).toBe(400);
    expect(apiErrorSchema.parse(await limit.json()).errors[0]?.in).toBe('limit');
  });
});
