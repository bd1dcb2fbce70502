import { Hono } from 'hono';
import type { z } from 'zod';
import {
  completionBatchEnvelopeSchema,
  fullyQualifiedName,
  completionInputSchema,
  type Completion,
  type CompletionList,
  type CompletionObjectType,
  type ErrorDetail,
  type EventTypes,
} from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { listCompletions, type CompletionSubmission } from '../storage/completions';
import { encodeCursor, resolveCompletionQuery } from './completion-query';

/** At most this many error details in one answer: a 500-input batch could otherwise produce 25,000. */
const MAX_ERROR_DETAILS = 100;

/**
 * HubSpot's custom-event completion API under `/events/v3`: `POST /send`, `POST /send/batch`
 * (both 204 once stored) and `GET /events` (newest first, cursor paging).
 */
export function eventRoutes({ db, writer }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.post('/send', async (c) => {
    const receivedAt = Date.now();
    const parsed = completionInputSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'event completion');
    const result = await writer.submit({
      portalId: c.get('portalId'),
      receivedAt,
      inputs: [{ index: 0, path: '', input: parsed.data }],
      errors: [],
    });
    if (!result.ok) throw invalid(`Invalid event completion: ${summary(result.errors)}`, result.errors);
    return c.body(null, 204);
  });

  app.post('/send/batch', async (c) => {
    const receivedAt = Date.now();
    const envelope = completionBatchEnvelopeSchema.safeParse(await readJson(c));
    if (!envelope.success) throw HttpError.fromZod(envelope.error, 'batch');
    const inputs: CompletionSubmission['inputs'][number][] = [];
    const errors: CompletionSubmission['errors'][number][] = [];
    // Each input on its own, so one answer names every bad input rather than the first.
    envelope.data.inputs.forEach((raw, index) => {
      const parsed = completionInputSchema.safeParse(raw);
      if (parsed.success) inputs.push({ index, path: `inputs.${index}.`, input: parsed.data });
      else errors.push({ index, details: issueDetails(parsed.error, `inputs.${index}`) });
    });
    const result = await writer.submit({ portalId: c.get('portalId'), receivedAt, inputs, errors });
    if (!result.ok) {
      const total = envelope.data.inputs.length;
      throw invalid(
        `Invalid batch: ${result.invalidInputs} of ${total} inputs are invalid, so nothing was stored; first: ${summary(result.errors)}`,
        result.errors,
      );
    }
    return c.body(null, 204);
  });

  app.get('/events', async (c) => {
    const portalId = c.get('portalId');
    const query = await resolveCompletionQuery(db, portalId, c.req.queries());
    if (query.empty) return c.json({ results: [] } satisfies CompletionList);
    const { filter } = query;
    const page = await listCompletions(db, portalId, filter);
    const first = page.results[0];
    const last = page.results[page.results.length - 1];
    // A `before` page always has a next page (the cursor's completion); an `after` page a previous one.
    const hasNext = filter.before !== undefined ? last !== undefined : page.hasMore;
    const hasPrev = filter.before !== undefined ? page.hasMore : filter.after !== undefined && first !== undefined;
    const paging: NonNullable<CompletionList['paging']> = {
      ...(hasNext && last ? { next: { after: encodeCursor(last.occurredAt, last.id) } } : {}),
      ...(hasPrev && first ? { prev: { before: encodeCursor(first.occurredAt, first.id) } } : {}),
    };
    const body: CompletionList = {
      results: page.results.map((row): Completion => ({
        id: String(row.id),
        eventType: fullyQualifiedName(portalId, row.name),
        objectType: row.objectType.toLowerCase() as CompletionObjectType,
        objectId: row.objectId,
        occurredAt: new Date(row.occurredAt).toISOString(),
        properties: Object.fromEntries(Object.entries(row.properties).map(([name, value]) => [name, String(value)])),
      })),
      ...(paging.next || paging.prev ? { paging } : {}),
    };
    return c.json(body);
  });

  /** HubSpot's list of event types: here every event of the portal, archived ones too (their completions stay readable). */
  app.get('/events/event-types', async (c) => {
    const portalId = c.get('portalId');
    const rows = await db
      .selectFrom('event_definitions')
      .select('name')
      .where('portal_id', '=', portalId)
      .orderBy('name')
      .execute();
    return c.json({ eventTypes: rows.map((row) => fullyQualifiedName(portalId, row.name)) } satisfies EventTypes);
  });

  return app;
}

function invalid(message: string, errors: ErrorDetail[]): HttpError {
  return HttpError.validation(message, errors.slice(0, MAX_ERROR_DETAILS));
}

function summary(errors: readonly ErrorDetail[]): string {
  const first = errors[0];
  // Same wording as HttpError.fromZod: a whole-body problem is not prefixed with "body".
  return first ? `${first.in && first.in !== 'body' ? `${first.in}: ` : ''}${first.message}` : 'invalid';
}

/** Zod issues of one batch input, with `in` prefixed by the input's place (`inputs.3.email`). */
function issueDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((issue) => ({
    message: issue.message,
    in: issue.path.length > 0 ? `${prefix}.${issue.path.map(String).join('.')}` : prefix,
    code: issue.code,
  }));
}
