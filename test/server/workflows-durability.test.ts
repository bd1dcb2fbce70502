import { afterEach, describe, expect, it } from 'vitest';
import {
  deliveryListSchema,
  enrolmentListSchema,
  workflowSchema,
  type Workflow,
  type WorkflowCreate,
} from '../../lib/shared';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { DATABASE_KINDS } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/** Real server processes killed with SIGKILL: workflow state must come back from the database alone. */
const ENGINE_ENV = {
  CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE: '1',
  CLICKTRAIL_WEBHOOK_TIMEOUT_MS: '1000',
  CLICKTRAIL_WORKFLOW_POLL_MS: '50',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(DATABASE_KINDS)('workflows across crashes on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  interface Setup {
    database: ScratchDatabase;
    receiver: WebhookReceiver;
    key: string;
    portalId: number;
    start(env?: NodeJS.ProcessEnv): Promise<ServerProcess>;
  }

  const setup = async (): Promise<Setup & { first: ServerProcess }> => {
    const database = await scratchDatabase(kind);
    cleanup.push(() => database.dispose());
    const receiver = await startWebhookReceiver();
    cleanup.push(() => receiver.close());
    const start = async (env: NodeJS.ProcessEnv = {}) => {
      const child = await startServerProcess({ ...database.env, ...ENGINE_ENV, ...env });
      cleanup.push(() => child.kill());
      return child;
    };
    const first = await start();
    const key = first.key!;
    const response = await call(first, key, '/events/v3/event-definitions', {
      label: 'Signed up',
      propertyDefinitions: [{ name: 'ref', label: 'Ref', type: 'string' }],
    });
    expect(response.status).toBe(201);
    const portalId = Number(
      /^pe(\d+)_/.exec(((await response.json()) as { fullyQualifiedName: string }).fullyQualifiedName)![1],
    );
    return { database, receiver, key, portalId, start, first };
  };

  const call = (server: ServerProcess, key: string, path: string, json?: unknown, method = json ? 'POST' : 'GET') =>
    fetch(server.url + path, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const createWorkflow = async (server: ServerProcess, key: string, json: WorkflowCreate): Promise<Workflow> => {
    const response = await call(server, key, '/automation/v1/workflows', { enabled: true, ...json });
    expect(response.status, await response.clone().text()).toBe(201);
    return workflowSchema.parse(await response.json());
  };
  const send = async (server: ServerProcess, s: Setup, ref: string) => {
    const response = await call(server, s.key, '/events/v3/send', {
      eventName: `pe${s.portalId}_signed_up`,
      email: `${ref}@example.com`,
      properties: { ref },
    });
    expect(response.status).toBe(204);
  };
  const enrolments = async (server: ServerProcess, key: string, workflow: Workflow) =>
    enrolmentListSchema.parse(
      await (await call(server, key, `/automation/v1/workflows/${workflow.id}/enrolments?limit=200`)).json(),
    ).results;
  const deliveries = async (server: ServerProcess, key: string, workflow: Workflow) =>
    deliveryListSchema.parse(
      await (await call(server, key, `/automation/v1/workflows/${workflow.id}/deliveries?limit=200`)).json(),
    ).results;

  it('enrols a completion stored just before a crash exactly once after the restart', { timeout: 60_000 }, async () => {
    const s = await setup();
    await s.first.kill();
    // This process polls once at start, then not for a minute: the completion waits in the outbox.
    const sleepy = await s.start({ CLICKTRAIL_WORKFLOW_POLL_MS: '60000' });
    const workflow = await createWorkflow(sleepy, s.key, {
      name: 'crash before enrolment',
      triggers: [{ eventName: 'signed_up', filters: [] }],
      steps: [{ type: 'webhook', url: s.receiver.url('/enrolled') }],
    });
    await send(sleepy, s, 'outbox');
    await sleep(200);
    expect(await enrolments(sleepy, s.key, workflow)).toEqual([]);
    await sleepy.kill();

    const second = await s.start();
    await s.receiver.waitFor(1);
    await until('the enrolment to finish', async () =>
      (await enrolments(second, s.key, workflow))[0]?.status === 'finished' ? true : undefined,
    );
    await sleep(300);
    expect(await enrolments(second, s.key, workflow)).toHaveLength(1);
    expect(s.receiver.at('/enrolled')).toHaveLength(1);
  });

  it(
    're-sends a webhook cut off by a crash with the same idempotency key, and runs each step once',
    { timeout: 60_000 },
    async () => {
      const s = await setup();
      const workflow = await createWorkflow(s.first, s.key, {
        name: 'crash during delivery',
        triggers: [{ eventName: 'signed_up', filters: [] }],
        steps: [
          { id: 'hook', type: 'webhook', url: s.receiver.url('/slow') },
          { id: 'mark', type: 'setContactProperty', property: 'notified', value: 'yes' },
        ],
      });
      s.receiver.answer('/slow', 'hang');
      await send(s.first, s, 'delivery');
      await s.receiver.waitFor(1);
      await s.first.kill();

      const second = await s.start();
      // The lease of the cut-off delivery (2 x timeout + 5 s) runs out, then it is sent again.
      await until('the second attempt', () => (s.receiver.at('/slow').length >= 2 ? true : undefined), 30_000);
      const [enrolment] = await until('the enrolment to finish', async () => {
        const list = await enrolments(second, s.key, workflow);
        return list[0]?.status === 'finished' ? list : undefined;
      });
      const keys = s.receiver.at('/slow').map((hook) => hook.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
      const [delivery] = await deliveries(second, s.key, workflow);
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2, responseStatus: 200 });
      expect(enrolment!.history.filter((entry) => entry.kind === 'step').map((entry) => entry.stepId)).toEqual([
        'hook',
        'mark',
      ]);
    },
  );

  it('runs a step whose timer was due during a crash once after the restart', { timeout: 60_000 }, async () => {
    const s = await setup();
    const workflow = await createWorkflow(s.first, s.key, {
      name: 'crash at the due time',
      triggers: [{ eventName: 'signed_up', filters: [] }],
      steps: [
        { type: 'delay', seconds: 2 },
        { type: 'webhook', url: s.receiver.url('/timer') },
      ],
    });
    const count = 30;
    for (let index = 0; index < count; index++) await send(s.first, s, `timer-${index}`);
    await until('every enrolment', async () =>
      (await enrolments(s.first, s.key, workflow)).length === count ? true : undefined,
    );
    // Kill right around the due time, while some of the timers are firing.
    await until('the first timer to fire', () => (s.receiver.at('/timer').length > 0 ? true : undefined));
    await s.first.kill();
    const second = await s.start();
    await until('every webhook', () => (s.receiver.at('/timer').length >= count ? true : undefined), 30_000);
    await until('every enrolment to finish', async () => {
      const list = await enrolments(second, s.key, workflow);
      return list.every((entry) => entry.status === 'finished') ? true : undefined;
    });
    await sleep(300);
    const perEnrolment = new Map<string, Set<string>>();
    for (const hook of s.receiver.at('/timer')) {
      const id = (hook.json.enrolment as { id: string }).id;
      perEnrolment.set(id, (perEnrolment.get(id) ?? new Set()).add(hook.headers['idempotency-key'] as string));
    }
    expect(perEnrolment.size).toBe(count);
    // Each enrolment's webhook step ran once: one delivery, one key (a delivery cut off by the kill is re-sent with it).
    expect([...perEnrolment.values()].every((keys) => keys.size === 1)).toBe(true);
    const logged = await deliveries(second, s.key, workflow);
    expect(logged).toHaveLength(count);
    expect(logged.every((delivery) => delivery.status === 'succeeded')).toBe(true);
  });

  it.runIf(kind === 'postgres')(
    'shares the work between two server processes without running a step twice',
    { timeout: 90_000 },
    async () => {
      const s = await setup();
      const other = await s.start();
      const workflow = await createWorkflow(s.first, s.key, {
        name: 'two servers',
        reenrollment: true,
        triggers: [{ eventName: 'signed_up', filters: [] }],
        steps: [
          { id: 'first', type: 'webhook', url: s.receiver.url('/shared') },
          { id: 'mark', type: 'setContactProperty', property: 'seen', value: 'yes' },
          { id: 'second', type: 'webhook', url: s.receiver.url('/shared') },
        ],
      });
      const count = 150;
      await Promise.all(
        Array.from({ length: count }, (_, index) => send(index % 2 ? s.first : other, s, `shared-${index}`)),
      );
      await until('every webhook', () => (s.receiver.at('/shared').length >= count * 2 ? true : undefined), 60_000);
      const list = await until('every enrolment to finish', async () => {
        const found = await enrolments(s.first, s.key, workflow);
        return found.length === count && found.every((entry) => entry.status === 'finished') ? found : undefined;
      });
      await sleep(300);
      // Each (enrolment, step) delivered under one idempotency key; an answer slower than the
      // 1 s timeout on this busy machine may be re-sent, always with that same key.
      const keys = new Map<string, Set<string>>();
      for (const hook of s.receiver.at('/shared')) {
        const pair = `${(hook.json.enrolment as { id: string }).id}/${(hook.json.step as { id: string }).id}`;
        keys.set(pair, (keys.get(pair) ?? new Set()).add(hook.headers['idempotency-key'] as string));
      }
      expect(keys.size).toBe(count * 2);
      expect([...keys.values()].every((set) => set.size === 1)).toBe(true);
      for (const enrolment of list) {
        expect(enrolment.history.map((entry) => `${entry.kind}:${entry.stepId ?? ''}`)).toEqual([
          'enrolled:',
          'step:first',
          'step:mark',
          'step:second',
          'finished:',
        ]);
      }
    },
  );
});
