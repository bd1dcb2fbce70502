import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deliveryListSchema,
  enrolmentListSchema,
  webhookTestResultSchema,
  workflowSchema,
  type PropertyFilter,
  type Workflow,
  type WorkflowCreate,
} from '../../lib/shared';
import { ManualClock } from '../../server/workflows/clock';
import { WorkflowEngine } from '../../server/workflows/engine';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const DAY = 24 * 3600 * 1000;

const events = [
  {
    label: 'Signed up',
    name: 'signed_up',
    propertyDefinitions: [
      {
        name: 'plan',
        label: 'Plan',
        type: 'enumeration',
        options: ['free', 'pro', 'team'].map((value) => ({ label: value, value })),
      },
      { name: 'seats', label: 'Seats', type: 'number' },
      { name: 'source', label: 'Source', type: 'string' },
    ],
  },
  { label: 'Purchase', name: 'purchase', propertyDefinitions: [{ name: 'amount', label: 'Amount', type: 'number' }] },
  { label: 'Demo booked', name: 'demo_booked', propertyDefinitions: [] },
];

describe.each(DATABASE_KINDS)('workflow engine on %s', (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let clock: ManualClock;
  let engine: WorkflowEngine;
  let portalId: number;
  let counter = 0;

  beforeAll(async () => {
    clock = new ManualClock();
    receiver = await startWebhookReceiver();
    server = await startTestServer(kind, {
      workflows: {
        clock,
        pollIntervalMs: 0,
        allowPrivateNetwork: true,
        webhookTimeoutMs: 400,
        retryBaseMs: 1000,
        maxAttempts: 3,
      },
    });
    engine = server.workflows;
    portalId = server.bootstrap.portal.id;
    for (const json of events) {
      expect((await server.api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });
  beforeEach(() => receiver.reset());

  const create = async (json: WorkflowCreate): Promise<Workflow> => {
    const response = await server.api('/automation/v1/workflows', { method: 'POST', json: { enabled: true, ...json } });
    expect(response.status, await response.clone().text()).toBe(201);
    return workflowSchema.parse(await response.json());
  };
  const send = async (name: string, email: string, properties: Record<string, string | number> = {}) => {
    const response = await server.api('/events/v3/send', {
      method: 'POST',
      json: { eventName: `pe${portalId}_${name}`, email, properties },
    });
    expect(response.status, await response.clone().text()).toBe(204);
  };
  const enrolments = async (workflow: Workflow) =>
    enrolmentListSchema.parse(await (await server.api(`/automation/v1/workflows/${workflow.id}/enrolments`)).json())
      .results;
  const deliveries = async (workflow: Workflow) =>
    deliveryListSchema.parse(await (await server.api(`/automation/v1/workflows/${workflow.id}/deliveries`)).json())
      .results;
  const read = async (workflow: Workflow) =>
    workflowSchema.parse(await (await server.api(`/automation/v1/workflows/${workflow.id}`)).json());
  const email = (label: string) => `${label}-${++counter}@example.com`;

  it('enrols on any of its triggers (OR), each refined by its filters', async () => {
    const workflow = await create({
      name: 'OR triggers',
      reenrollment: true,
      triggers: [
        { eventName: 'signed_up', filters: [{ property: 'plan', operator: 'in', values: ['pro', 'team'] }] },
        { eventName: 'purchase', filters: [{ property: 'amount', operator: 'gt', value: 100 }] },
      ],
    });
    const who = email('or');
    await send('signed_up', who, { plan: 'free' });
    await send('purchase', who, { amount: 50 });
    await send('demo_booked', who);
    await engine.drain();
    expect(await enrolments(workflow)).toHaveLength(0);
    await send('signed_up', who, { plan: 'team' });
    await send('purchase', who, { amount: 150 });
    await engine.drain();
    const enrolled = await enrolments(workflow);
    expect(enrolled).toHaveLength(2);
    expect(enrolled.map((entry) => entry.history[0]!.detail).sort()).toEqual([
      expect.stringMatching(/^purchase /),
      expect.stringMatching(/^signed_up /),
    ]);
    expect(enrolled.every((entry) => entry.status === 'finished')).toBe(true);
  });

  it.each([
    ['eq', { property: 'source', operator: 'eq', value: 'Ads' }, { source: 'Ads' }, [{ source: 'ads' }, {}]],
    ['neq', { property: 'source', operator: 'neq', value: 'ads' }, { source: 'blog' }, [{ source: 'ads' }, {}]],
    [
      'contains',
      { property: 'source', operator: 'contains', value: 'news' },
      { source: 'Spring NEWSletter' },
      [{ source: 'blog' }],
    ],
    ['gt', { property: 'seats', operator: 'gt', value: 10 }, { seats: 11 }, [{ seats: 10 }, { seats: 2 }, {}]],
    ['lt', { property: 'seats', operator: 'lt', value: 10 }, { seats: 9.5 }, [{ seats: 10 }, { seats: 50 }]],
    ['in', { property: 'plan', operator: 'in', values: ['pro', 'team'] }, { plan: 'pro' }, [{ plan: 'free' }, {}]],
  ] as [string, PropertyFilter, Record<string, string | number>, Record<string, string | number>[]][])(
    'filter %s enrols only matching completions',
    async (_name, filter, matching, others) => {
      const workflow = await create({
        name: `filter ${_name}`,
        reenrollment: true,
        triggers: [{ eventName: 'signed_up', filters: [filter] }],
      });
      const who = email(_name);
      for (const properties of others) await send('signed_up', who, properties);
      await engine.drain();
      expect(await enrolments(workflow)).toHaveLength(0);
      await send('signed_up', who, matching);
      await engine.drain();
      expect(await enrolments(workflow)).toHaveLength(1);
    },
  );

  it('enrols a contact once by default, and on every completion with re-enrolment', async () => {
    const once = await create({ name: 'once', triggers: [{ eventName: 'demo_booked', filters: [] }] });
    const every = await create({
      name: 'every time',
      reenrollment: true,
      triggers: [{ eventName: 'demo_booked', filters: [] }],
    });
    const who = email('repeat');
    for (let index = 0; index < 3; index++) await send('demo_booked', who);
    await engine.drain();
    await send('demo_booked', email('other'));
    await engine.drain();
    expect(await enrolments(once)).toHaveLength(2);
    expect(await enrolments(every)).toHaveLength(4);
    expect((await read(every)).counts).toMatchObject({ enrolled: 4, finished: 4, active: 0 });
  });

  it('enrols only for completions that arrive after it is turned on; turning it off unenrols', async () => {
    const workflow = await create({
      name: 'later',
      enabled: false,
      triggers: [{ eventName: 'purchase', filters: [] }],
      steps: [{ type: 'delay', seconds: 60 }],
    });
    const who = email('later');
    await send('purchase', who, { amount: 1 });
    await engine.drain();
    let response = await server.api(`/automation/v1/workflows/${workflow.id}`, {
      method: 'PATCH',
      json: { enabled: true, version: workflow.version },
    });
    expect(response.status).toBe(200);
    await engine.drain();
    expect(await enrolments(workflow)).toHaveLength(0);
    await send('purchase', who, { amount: 2 });
    await engine.drain();
    const [enrolment] = await enrolments(workflow);
    expect(enrolment).toMatchObject({ status: 'active', stepId: null });
    response = await server.api(`/automation/v1/workflows/${workflow.id}`, {
      method: 'PATCH',
      json: { enabled: false },
    });
    expect(response.status).toBe(200);
    const [after] = await enrolments(workflow);
    expect(after!.status).toBe('unenrolled');
    expect(after!.history.at(-1)).toMatchObject({ kind: 'unenrolled', detail: 'the workflow was turned off' });
    clock.advance(120_000);
    await engine.drain();
    expect((await enrolments(workflow))[0]!.status).toBe('unenrolled');
  });

  it('sets a contact property and posts a signed webhook with contact, completion, workflow and step ids', async () => {
    const workflow = await create({
      name: 'webhook',
      triggers: [{ eventName: 'signed_up', filters: [] }],
      steps: [
        { id: 'mark', type: 'setContactProperty', property: 'lifecycle', value: 'trial' },
        { id: 'notify', type: 'webhook', url: receiver.url('/signed-up') },
      ],
    });
    const who = email('hook');
    await send('signed_up', who, { plan: 'pro', seats: 3 });
    await engine.drain();
    await receiver.waitFor(1);
    const [hook] = receiver.at('/signed-up');
    expect(hook!.json).toMatchObject({
      workflow: { id: workflow.id, name: 'webhook' },
      step: { id: 'notify' },
      contact: { email: who, properties: { lifecycle: 'trial' } },
      completion: { eventName: `pe${portalId}_signed_up`, properties: { plan: 'pro', seats: 3 } },
    });
    const timestamp = hook!.headers['x-clicktrail-timestamp'] as string;
    const expected = createHmac('sha256', workflow.secret).update(`${timestamp}.${hook!.body}`).digest('hex');
    expect(hook!.headers['x-clicktrail-signature']).toBe(`sha256=${expected}`);
    expect(hook!.headers['idempotency-key']).toBe(hook!.json.idempotencyKey);
    const [delivery] = await deliveries(workflow);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, stepId: 'notify' });
    const [enrolment] = await enrolments(workflow);
    expect(enrolment!.history.map((entry) => entry.kind)).toEqual(['enrolled', 'step', 'step', 'finished']);
    const byContact = enrolmentListSchema.parse(
      await (await server.api(`/automation/v1/contacts/${enrolment!.contactId}/enrolments`)).json(),
    );
    expect(byContact.results.map((entry) => entry.workflowId)).toContain(workflow.id);
  });

  it('waits out a delay on the clock before the next step', async () => {
    const workflow = await create({
      name: 'delay',
      triggers: [{ eventName: 'purchase', filters: [] }],
      steps: [
        { type: 'delay', seconds: 3600 },
        { type: 'webhook', url: receiver.url('/after-delay') },
      ],
    });
    await send('purchase', email('delay'), { amount: 5 });
    await engine.drain();
    clock.advance(3599_000);
    await engine.drain();
    expect(receiver.at('/after-delay')).toHaveLength(0);
    expect((await enrolments(workflow))[0]!.nextRunAt).toBe(new Date(clock.now() + 1000).toISOString());
    clock.advance(1000);
    await engine.drain();
    expect(receiver.at('/after-delay').map((hook) => hook.json.step)).toEqual([{ id: workflow.steps[1]!.id }]);
  });

  /** Step ids of the webhooks one workflow sent, in order. */
  const hooksOf = (workflow: Workflow) =>
    receiver.received
      .filter((hook) => (hook.json.workflow as { id?: string } | undefined)?.id === workflow.id)
      .map((hook) => (hook.json.step as { id: string }).id);
  const waitWorkflow = (name: string, maxWaitSeconds: number | null): WorkflowCreate => ({
    name,
    triggers: [{ eventName: 'demo_booked', filters: [] }],
    steps: [
      {
        id: 'wait',
        type: 'delayUntilEvent',
        eventName: 'purchase',
        filter: { property: 'amount', operator: 'gt', value: 10 },
        maxWaitSeconds,
        met: [{ id: 'met', type: 'webhook', url: receiver.url('/met') }],
        notMet: [{ id: 'not-met', type: 'webhook', url: receiver.url('/not-met') }],
      },
      { id: 'after', type: 'setContactProperty', property: 'followed_up', value: 'yes' },
    ],
  });

  it('continues on the met branch when the filtered event occurs before the maximum wait', async () => {
    const workflow = await create(waitWorkflow('met', 86_400));
    const who = email('met');
    await send('demo_booked', who);
    await engine.drain();
    expect((await enrolments(workflow))[0]).toMatchObject({ status: 'waiting', stepId: 'wait' });
    clock.advance(3600_000);
    await send('purchase', who, { amount: 5 });
    await send('purchase', email('someone-else'), { amount: 500 });
    await engine.drain();
    expect((await enrolments(workflow))[0]!.status).toBe('waiting');
    await send('purchase', who, { amount: 20 });
    await engine.drain();
    expect(hooksOf(workflow)).toEqual(['met']);
    const [enrolment] = await enrolments(workflow);
    expect(enrolment!.status).toBe('finished');
    expect(enrolment!.history.map((entry) => `${entry.kind}:${entry.stepId ?? ''}`)).toEqual([
      'enrolled:',
      'waiting:wait',
      'met:wait',
      'step:met',
      'step:after',
      'finished:',
    ]);
  });

  it('takes the not-met branch when the maximum wait passes', async () => {
    const workflow = await create(waitWorkflow('not met', 86_400));
    const who = email('notmet');
    await send('demo_booked', who);
    await engine.drain();
    clock.advance(DAY - 1);
    await engine.drain();
    expect((await enrolments(workflow))[0]!.status).toBe('waiting');
    clock.advance(1);
    await engine.drain();
    expect(hooksOf(workflow)).toEqual(['not-met']);
    await send('purchase', who, { amount: 99 });
    await engine.drain();
    expect(hooksOf(workflow)).toHaveLength(1);
    const [enrolment] = await enrolments(workflow);
    expect(enrolment!.history.map((entry) => entry.kind)).toEqual([
      'enrolled',
      'waiting',
      'notMet',
      'step',
      'step',
      'finished',
    ]);
  });

  it('waits as long as possible when there is no maximum', async () => {
    const workflow = await create(waitWorkflow('forever', null));
    const who = email('forever');
    await send('demo_booked', who);
    await engine.drain();
    clock.advance(400 * DAY);
    await engine.drain();
    const [waiting] = await enrolments(workflow);
    expect(waiting).toMatchObject({ status: 'waiting', nextRunAt: null });
    await send('purchase', who, { amount: 11 });
    await engine.drain();
    expect(hooksOf(workflow)).toEqual(['met']);
  });

  it('queues for the engine only the completions a workflow could take, and every one of an event a workflow waits for', async () => {
    const json = {
      label: 'Outbox probe',
      name: 'outbox_probe',
      propertyDefinitions: [
        {
          name: 'tier',
          label: 'Tier',
          type: 'enumeration',
          options: ['gold', 'silver', 'bronze', 'iron'].map((value) => ({ label: value, value })),
        },
        { name: 'score', label: 'Score', type: 'number' },
      ],
    };
    expect((await server.api('/events/v3/event-definitions', { method: 'POST', json })).status).toBe(201);
    const workflow = await create({
      name: 'indexed triggers',
      reenrollment: true,
      triggers: [
        // Looked up by its `eq` filter, then checked in full (score > 5 as well).
        {
          eventName: 'outbox_probe',
          filters: [
            { property: 'tier', operator: 'eq', value: 'gold' },
            { property: 'score', operator: 'gt', value: 5 },
          ],
        },
        { eventName: 'outbox_probe', filters: [{ property: 'tier', operator: 'in', values: ['bronze', 'iron'] }] },
        // No eq/in filter: checked in full on every completion.
        { eventName: 'outbox_probe', filters: [{ property: 'score', operator: 'gt', value: 100 }] },
      ],
    });
    const { db } = server.database;
    const queued = async () =>
      (
        await db
          .selectFrom('workflow_outbox')
          .innerJoin('completions', 'completions.id', 'workflow_outbox.completion_id')
          .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
          .select('completions.properties_json')
          .where('event_definitions.name', '=', 'outbox_probe')
          .orderBy('workflow_outbox.id')
          .execute()
      ).map((row) => JSON.parse(row.properties_json) as Record<string, unknown>);
    const who = email('outbox');
    for (const properties of [
      { tier: 'gold', score: 9 },
      { tier: 'gold', score: 1 },
      { tier: 'silver', score: 9 },
      { tier: 'iron' },
      { score: 101 },
      {},
    ] as Record<string, string | number>[]) {
      await send('outbox_probe', who, properties);
    }
    expect(await queued()).toEqual([{ tier: 'gold', score: 9 }, { tier: 'iron' }, { score: 101 }]);
    await engine.drain();
    expect(await queued()).toEqual([]);
    expect(await enrolments(workflow)).toHaveLength(3);

    // A workflow waiting for the event needs every completion of it: a waiting contact may be woken.
    await create({
      name: 'waits for the probe',
      triggers: [{ eventName: 'demo_booked', filters: [] }],
      steps: [
        { id: 'wait', type: 'delayUntilEvent', eventName: 'outbox_probe', maxWaitSeconds: null, met: [], notMet: [] },
      ],
    });
    await send('outbox_probe', who, { tier: 'silver' });
    expect(await queued()).toEqual([{ tier: 'silver' }]);
    await engine.drain();
  });

  it('retries a receiver that times out, then answers 500, then 200, with one idempotency key', async () => {
    const workflow = await create({
      name: 'retries',
      triggers: [{ eventName: 'signed_up', filters: [{ property: 'source', operator: 'eq', value: 'retry' }] }],
      steps: [{ type: 'webhook', url: receiver.url('/flaky') }],
    });
    receiver.answer('/flaky', 'hang', { status: 500, body: 'oops' });
    await send('signed_up', email('retry'), { source: 'retry' });
    await engine.drain();
    let [delivery] = await deliveries(workflow);
    expect(delivery).toMatchObject({ status: 'retrying', attempts: 1, responseStatus: null });
    expect(delivery!.error).toMatch(/timed out/);
    clock.advance(1000);
    await engine.drain();
    [delivery] = await deliveries(workflow);
    expect(delivery).toMatchObject({ status: 'retrying', attempts: 2, responseStatus: 500 });
    clock.advance(1999);
    await engine.drain();
    expect(receiver.at('/flaky')).toHaveLength(2);
    clock.advance(1);
    await engine.drain();
    [delivery] = await deliveries(workflow);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, error: null });
    expect(new Set(receiver.at('/flaky').map((hook) => hook.headers['idempotency-key'])).size).toBe(1);
    expect(receiver.at('/flaky')).toHaveLength(3);
    expect((await enrolments(workflow))[0]!.status).toBe('finished');
  });

  it('logs clear errors for a refused connection, an oversize answer and a disallowed address, and gets stuck on none', async () => {
    const closedPort = await (async () => {
      const probe = await startWebhookReceiver();
      const url = probe.url('/gone');
      await probe.close();
      return url;
    })();
    const refused = await create({
      name: 'refused',
      triggers: [{ eventName: 'signed_up', filters: [{ property: 'source', operator: 'eq', value: 'refused' }] }],
      steps: [
        { type: 'webhook', url: closedPort },
        { type: 'setContactProperty', property: 'after_refused', value: 'yes' },
      ],
    });
    const oversize = await create({
      name: 'oversize',
      triggers: [{ eventName: 'signed_up', filters: [{ property: 'source', operator: 'eq', value: 'oversize' }] }],
      steps: [{ type: 'webhook', url: receiver.url('/big') }],
    });
    receiver.answer('/big', { status: 200, body: 'x'.repeat(200_000) });
    await send('signed_up', email('refused'), { source: 'refused' });
    await send('signed_up', email('oversize'), { source: 'oversize' });
    for (let step = 0; step < 4; step++) {
      await engine.drain();
      clock.advance(5000);
    }
    const [refusedDelivery] = await deliveries(refused);
    expect(refusedDelivery).toMatchObject({ status: 'failed', attempts: 3 });
    expect(refusedDelivery!.error).toMatch(/ECONNREFUSED.*gave up after 3 attempts/);
    const [big] = await deliveries(oversize);
    expect(big).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 200 });
    expect(big!.error).toMatch(/larger than 65536 bytes/);
    for (const workflow of [refused, oversize]) {
      const [enrolment] = await enrolments(workflow);
      expect(enrolment!.status).toBe('finished');
      expect(enrolment!.history.map((entry) => entry.kind)).toContain('deliveryFailed');
      expect((await read(workflow)).counts.failedDeliveries).toBe(1);
    }

    // The server's configuration no longer allows private networks: a stored loopback URL is refused, with no traffic.
    const strict = new WorkflowEngine(server.database.db, { clock, pollIntervalMs: 0, allowPrivateNetwork: false });
    const privateFlow = await create({
      name: 'private',
      triggers: [{ eventName: 'signed_up', filters: [{ property: 'source', operator: 'eq', value: 'private' }] }],
      steps: [
        // An address literal (refused before connecting) and a name that resolves to loopback
        // (refused when resolved); https, so the refusal is about the address, not the scheme.
        { type: 'webhook', url: receiver.url('/private').replace('http:', 'https:') },
        { type: 'webhook', url: receiver.url('/private').replace('http://127.0.0.1', 'https://localhost') },
      ],
    });
    await send('signed_up', email('private'), { source: 'private' });
    await strict.drain();
    const logged = await deliveries(privateFlow);
    expect(logged.map((entry) => entry.status)).toEqual(['failed', 'failed']);
    // Newest first: the name, then the literal.
    expect(logged[0]!.error).toMatch(
      /^localhost resolves to the private-network address (127\.0\.0\.1|::1) .*CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE=1/,
    );
    expect(logged[1]!.error).toMatch(
      /^url points to the private-network address 127\.0\.0\.1 .*CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE=1/,
    );
    expect(receiver.at('/private')).toEqual([]);
    expect((await enrolments(privateFlow))[0]!.status).toBe('finished');
  });

  it('retries a failed delivery by hand with the same idempotency key, and test-sends a sample', async () => {
    const workflow = await create({
      name: 'manual retry',
      triggers: [{ eventName: 'signed_up', filters: [{ property: 'source', operator: 'eq', value: 'manual' }] }],
      steps: [{ type: 'webhook', url: receiver.url('/manual') }],
    });
    receiver.answer('/manual', { status: 400, body: 'bad' });
    await send('signed_up', email('manual'), { source: 'manual' });
    await engine.drain();
    const [failed] = await deliveries(workflow);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 400 });
    expect(failed!.error).toMatch(/answered 400/);
    const retried = await server.api(`/automation/v1/workflows/${workflow.id}/deliveries/${failed!.id}/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'succeeded', attempts: 2, responseStatus: 200 });
    expect(receiver.at('/manual').map((hook) => hook.headers['idempotency-key'])).toEqual([
      failed!.idempotencyKey,
      failed!.idempotencyKey,
    ]);
    const again = await server.api(`/automation/v1/workflows/${workflow.id}/deliveries/${failed!.id}/retry`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);

    const tested = await server.api(`/automation/v1/workflows/${workflow.id}/test`, { method: 'POST' });
    expect(tested.status).toBe(200);
    const result = webhookTestResultSchema.parse(await tested.json());
    expect(result).toMatchObject({ ok: true, responseStatus: 200, responseBody: '{"ok":true}' });
    expect(receiver.at('/manual').at(-1)!.json).toMatchObject({ test: true, workflow: { id: workflow.id } });
    expect(await deliveries(workflow)).toHaveLength(1);
  });
});
