import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, workflowListSchema, workflowSchema } from '../../lib/shared';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';

const signupEvent = {
  label: 'Signed up',
  name: 'signed_up',
  propertyDefinitions: [
    {
      name: 'plan',
      label: 'Plan',
      type: 'enumeration',
      options: [
        { label: 'Free', value: 'free' },
        { label: 'Pro', value: 'pro' },
      ],
    },
    { name: 'seats', label: 'Seats', type: 'number' },
  ],
};

const validWorkflow = {
  name: 'Welcome pro sign-ups',
  triggers: [{ eventName: 'signed_up', filters: [{ property: 'plan', operator: 'in', values: ['pro'] }] }],
  steps: [
    { type: 'setContactProperty', property: 'lifecycle', value: 'customer' },
    { type: 'delay', seconds: 60 },
    {
      type: 'delayUntilEvent',
      eventName: 'signed_up',
      maxWaitSeconds: 3600,
      met: [{ type: 'webhook', url: 'https://hooks.example.com/met' }],
      notMet: [],
    },
  ],
};

describe.each(DATABASE_KINDS)('workflows API on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { workflows: { pollIntervalMs: 0 } });
    expect((await server.api('/events/v3/event-definitions', { method: 'POST', json: signupEvent })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const errorOf = async (response: Response) => apiErrorSchema.parse(await response.json());

  it('creates a workflow off by default, with step ids, a signing secret and version 1', async () => {
    const response = await server.api('/automation/v1/workflows', { method: 'POST', json: validWorkflow });
    expect(response.status).toBe(201);
    const workflow = workflowSchema.parse(await response.json());
    expect(response.headers.get('etag')).toBe('"1"');
    expect(workflow).toMatchObject({
      name: 'Welcome pro sign-ups',
      enabled: false,
      enabledAt: null,
      reenrollment: false,
    });
    expect(workflow.version).toBe(1);
    expect(workflow.secret).toMatch(/^whsec_/);
    expect(workflow.steps.map((step) => step.id)).toEqual(['s1', 's2', 's3']);
    const wait = workflow.steps[2]!;
    expect(wait.type === 'delayUntilEvent' && wait.met[0]!.id).toBe('s4');
    expect(workflow.counts).toEqual({ enrolled: 0, active: 0, finished: 0, failedDeliveries: 0 });

    const listed = workflowListSchema.parse(await (await server.api('/automation/v1/workflows')).json());
    expect(listed.results.map((item) => item.id)).toContain(workflow.id);
    const read = workflowSchema.parse(await (await server.api(`/automation/v1/workflows/${workflow.id}`)).json());
    expect(read).toEqual(workflow);
  });

  it.each([
    [{ ...validWorkflow, name: '' }, 'name'],
    [{ ...validWorkflow, triggers: [{ eventName: 'Signed Up' }] }, 'triggers.0.eventName'],
    [
      {
        ...validWorkflow,
        triggers: [{ eventName: 'signed_up', filters: [{ property: 'seats', operator: 'gt', value: 'x' }] }],
      },
      'triggers.0.filters.0.value',
    ],
    [{ ...validWorkflow, steps: [{ type: 'webhook', url: 'not a url' }] }, 'steps.0.url'],
    [{ ...validWorkflow, steps: [{ type: 'delay', seconds: 0 }] }, 'steps.0.seconds'],
    [{ ...validWorkflow, steps: [{ type: 'sms', to: '1' }] }, 'steps.0.type'],
    [
      {
        ...validWorkflow,
        steps: [
          { id: 'a', type: 'delay', seconds: 1 },
          {
            type: 'delayUntilEvent',
            eventName: 'signed_up',
            maxWaitSeconds: null,
            met: [{ id: 'a', type: 'delay', seconds: 1 }],
          },
        ],
      },
      'steps.1.met.0.id',
    ],
    [{ ...validWorkflow, enabled: true, triggers: [] }, 'triggers'],
    [{ ...validWorkflow, extra: 1 }, 'body'],
  ])('refuses an invalid workflow, naming the field (%#)', async (json, field) => {
    const response = await server.api('/automation/v1/workflows', { method: 'POST', json });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.errors.map((detail) => detail.in)).toContain(field);
  });

  it.each([
    [{ triggers: [{ eventName: 'no_such_event' }] }, 'triggers.0.eventName', /no event named "no_such_event"/],
    [
      { triggers: [{ eventName: 'signed_up', filters: [{ property: 'colour', operator: 'eq', value: 'red' }] }] },
      'triggers.0.filters.0.property',
      /no property "colour"/,
    ],
    [
      { triggers: [{ eventName: 'signed_up', filters: [{ property: 'plan', operator: 'gt', value: 3 }] }] },
      'triggers.0.filters.0.operator',
      /apply to numbers/,
    ],
    [
      { triggers: [{ eventName: 'signed_up', filters: [{ property: 'plan', operator: 'in', values: ['gold'] }] }] },
      'triggers.0.filters.0.values.0',
      /not an option/,
    ],
    [
      { steps: [{ type: 'webhook', url: 'http://hooks.example.com/x' }] },
      'steps.0.url',
      /https.*CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE/,
    ],
    [{ steps: [{ type: 'webhook', url: 'https://10.1.2.3/x' }] }, 'steps.0.url', /private-network address 10\.1\.2\.3/],
    [
      { steps: [{ type: 'delayUntilEvent', eventName: 'nope', maxWaitSeconds: 5 }] },
      'steps.0.eventName',
      /no event named "nope"/,
    ],
  ])('refuses references the portal or the server policy does not allow (%#)', async (changes, field, message) => {
    const response = await server.api('/automation/v1/workflows', {
      method: 'POST',
      json: { ...validWorkflow, ...changes },
    });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    const detail = error.errors.find((entry) => entry.in === field);
    expect(detail?.message).toMatch(message);
  });

  it('updates with the current version, answers 409 to a stale one, and loses nothing', async () => {
    const created = workflowSchema.parse(
      await (await server.api('/automation/v1/workflows', { method: 'POST', json: validWorkflow })).json(),
    );
    const renamed = await server.api(`/automation/v1/workflows/${created.id}`, {
      method: 'PATCH',
      json: { name: 'Renamed', version: 1 },
    });
    expect(renamed.status).toBe(200);
    expect(workflowSchema.parse(await renamed.json())).toMatchObject({ name: 'Renamed', version: 2 });

    const stale = await server.api(`/automation/v1/workflows/${created.id}`, {
      method: 'PATCH',
      headers: { 'If-Match': '"1"' },
      json: { name: 'Stale write' },
    });
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).errors[0]).toMatchObject({ in: 'version', message: 'current version is 2' });
    const read = workflowSchema.parse(await (await server.api(`/automation/v1/workflows/${created.id}`)).json());
    expect(read.name).toBe('Renamed');

    const on = await server.api(`/automation/v1/workflows/${created.id}`, {
      method: 'PATCH',
      json: { enabled: true, version: 2 },
    });
    const enabled = workflowSchema.parse(await on.json());
    expect(enabled.enabled).toBe(true);
    expect(Date.parse(enabled.enabledAt!)).toBeGreaterThan(Date.now() - 60_000);

    const staleDelete = await server.api(`/automation/v1/workflows/${created.id}`, {
      method: 'DELETE',
      headers: { 'If-Match': '"2"' },
    });
    expect(staleDelete.status).toBe(409);
    const deleted = await server.api(`/automation/v1/workflows/${created.id}`, {
      method: 'DELETE',
      headers: { 'If-Match': '"3"' },
    });
    expect(deleted.status).toBe(204);
    expect((await server.api(`/automation/v1/workflows/${created.id}`)).status).toBe(404);
  });

  it('answers 404 for unknown workflows and 401 without an API key', async () => {
    expect((await server.api('/automation/v1/workflows/999999')).status).toBe(404);
    expect((await server.api('/automation/v1/workflows/abc')).status).toBe(404);
    expect((await fetch(`${server.url}/automation/v1/workflows`)).status).toBe(401);
  });
});
