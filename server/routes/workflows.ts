import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { deliveryStatusSchema, workflowCreateSchema, workflowPatchSchema } from '../../lib/shared';
import { readJson } from '../http/body';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { expectedVersion, versionEtag } from '../http/versions';
import { listDeliveries, listEnrolments } from '../workflows/read';
import { WorkflowRepository } from '../workflows/repository';
import { locateStep } from '../workflows/steps';
import { WorkflowNotFoundError, WorkflowReferenceError, WorkflowVersionConflictError } from '../workflows/store';

const idSchema = z.string().regex(/^\d{1,15}$/);

const deliveriesQuerySchema = z.object({
  status: deliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z
    .string()
    .regex(/^\d+$/, 'after must be the cursor returned in paging.next.after')
    .transform(Number)
    .optional(),
});
const enrolmentsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const testBodySchema = z.object({ stepId: z.string().optional() }).strict();

/** `/automation/v1`: workflows, their delivery log and enrolment history. */
export function workflowRoutes({ db, workflows: engine }: AppDeps) {
  const app = new Hono<AppEnv>();
  const repository = new WorkflowRepository(db, engine.policy, engine.clock);

  const idOf = (c: Context<AppEnv>, name = 'id'): number => {
    const raw = c.req.param(name) ?? '';
    if (!idSchema.safeParse(raw).success) throw HttpError.notFound(`No workflow with the id "${raw}".`);
    return Number(raw);
  };
  const load = async (c: Context<AppEnv>) => {
    const id = idOf(c);
    const record = await repository.record(c.get('portalId'), id);
    if (!record) throw HttpError.notFound(`No workflow with the id ${id}.`);
    return record;
  };

  app.get('/workflows', async (c) => c.json({ results: await repository.list(c.get('portalId')) }));

  app.post('/workflows', async (c) => {
    const parsed = workflowCreateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'workflow');
    const workflow = await storageCall(() => repository.create(c.get('portalId'), parsed.data));
    c.header('ETag', versionEtag(workflow.version));
    return c.json(workflow, 201);
  });

  app.get('/workflows/:id', async (c) => {
    const workflow = await repository.get(c.get('portalId'), idOf(c));
    if (!workflow) throw HttpError.notFound(`No workflow with the id ${c.req.param('id')}.`);
    c.header('ETag', versionEtag(workflow.version));
    return c.json(workflow);
  });

  app.patch('/workflows/:id', async (c) => {
    const id = idOf(c);
    const parsed = workflowPatchSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'workflow update');
    const { version, ...changes } = parsed.data;
    const workflow = await storageCall(() =>
      repository.update(c.get('portalId'), id, changes, expectedVersion(c, version)),
    );
    c.header('ETag', versionEtag(workflow.version));
    return c.json(workflow);
  });

  app.delete('/workflows/:id', async (c) => {
    const id = idOf(c);
    await storageCall(() => repository.delete(c.get('portalId'), id, expectedVersion(c, undefined)));
    return c.body(null, 204);
  });

  app.get('/workflows/:id/deliveries', async (c) => {
    const workflow = await load(c);
    const query = deliveriesQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    const page = await listDeliveries(db, c.get('portalId'), workflow.id, query.data);
    return c.json({
      results: page.results,
      ...(page.nextAfter ? { paging: { next: { after: page.nextAfter } } } : {}),
    });
  });

  app.post('/workflows/:id/deliveries/:deliveryId/retry', async (c) => {
    const workflow = await load(c);
    const raw = c.req.param('deliveryId');
    const deliveryId = idSchema.safeParse(raw).success ? Number(raw) : NaN;
    const outcome = Number.isNaN(deliveryId) ? 'not_found' : await engine.retryDelivery(c.get('portalId'), deliveryId);
    if (outcome === 'not_found') throw HttpError.notFound(`Workflow ${workflow.id} has no delivery ${raw}.`);
    if (outcome === 'not_failed') {
      throw new HttpError(409, 'CONFLICT', 'Only a failed delivery can be retried by hand; this one is not failed.', [
        { message: 'the delivery is pending, retrying or succeeded', in: 'deliveryId', code: 'not_failed' },
      ]);
    }
    const page = await listDeliveries(db, c.get('portalId'), workflow.id, { limit: 1, after: deliveryId + 1 });
    return c.json(page.results[0]);
  });

  app.post('/workflows/:id/test', async (c) => {
    const workflow = await load(c);
    const text = c.req.header('content-length') === '0' ? {} : await readJson(c);
    const body = testBodySchema.safeParse(text);
    if (!body.success) throw HttpError.fromZod(body.error, 'test request');
    const step = body.data.stepId
      ? locateStep(workflow.steps, body.data.stepId)?.step
      : workflow.steps.find((candidate) => candidate.type === 'webhook');
    if (step?.type !== 'webhook') {
      throw HttpError.validation('There is no webhook step to test.', [
        {
          message: body.data.stepId
            ? `step "${body.data.stepId}" is not a webhook step`
            : 'the workflow has no webhook step',
          in: 'stepId',
          code: 'no_webhook',
        },
      ]);
    }
    return c.json(await engine.testWebhook(workflow, step.id, step.url));
  });

  app.get('/workflows/:id/enrolments', async (c) => {
    const workflow = await load(c);
    const query = enrolmentsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    return c.json({
      results: await listEnrolments(db, c.get('portalId'), { workflowId: workflow.id, limit: query.data.limit }),
    });
  });

  app.get('/contacts/:contactId/enrolments', async (c) => {
    const raw = c.req.param('contactId');
    if (!idSchema.safeParse(raw).success) throw HttpError.notFound(`No contact with the id "${raw}".`);
    const query = enrolmentsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    return c.json({
      results: await listEnrolments(db, c.get('portalId'), { contactId: Number(raw), limit: query.data.limit }),
    });
  });

  return app;
}

/** Maps the repository's errors to HTTP answers. */
async function storageCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkflowVersionConflictError) {
      throw new HttpError(409, 'CONFLICT', error.message, [
        { message: `current version is ${error.current}`, in: 'version', code: 'stale_version' },
      ]);
    }
    if (error instanceof WorkflowNotFoundError) throw HttpError.notFound(error.message);
    if (error instanceof WorkflowReferenceError) throw HttpError.validation(error.message, error.details);
    throw error;
  }
}
