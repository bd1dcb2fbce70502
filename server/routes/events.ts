import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  COMPLETION_LIMITS,
  completionBatchEnvelopeSchema,
  fullyQualifiedName,
  completionInputSchema,
  completionQuerySchema,
  parseFullyQualifiedEventName,
  parseTimestamp,
  primaryObjectOf,
  type Completion,
  type CompletionList,
  type CompletionObjectType,
  type ErrorDetail,
} from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { listCompletions, type CompletionFilter, type CompletionSubmission } from '../storage/completions';
import type { Database } from '../storage/schema';

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
    const page = await listCompletions(db, portalId, await readFilter(db, portalId, c.req.query()));
    const last = page.results[page.results.length - 1];
    const body: CompletionList = {
      results: page.results.map((row): Completion => ({
        id: String(row.id),
        eventType: fullyQualifiedName(portalId, row.name),
        objectType: row.objectType.toLowerCase() as CompletionObjectType,
        objectId: row.objectId,
        occurredAt: new Date(row.occurredAt).toISOString(),
        properties: Object.fromEntries(Object.entries(row.properties).map(([name, value]) => [name, String(value)])),
      })),
      ...(page.hasMore && last ? { paging: { next: { after: encodeCursor(last.occurredAt, last.id) } } } : {}),
    };
    return c.json(body);
  });

  return app;
}

/** The query string of `GET /events`, validated and resolved to storage terms (400 for anything wrong). */
async function readFilter(
  db: Kysely<Database>,
  portalId: number,
  raw: Record<string, string>,
): Promise<CompletionFilter> {
  const query = completionQuerySchema.safeParse(raw);
  if (!query.success) {
    const details = queryDetails(query.error);
    throw HttpError.validation(`Invalid query: ${summary(details)}`, details);
  }
  const { objectType, objectId, eventType, occurredAfter, occurredBefore, limit, after } = query.data;
  const filter: CompletionFilter = {
    definitionId: eventType === undefined ? undefined : await definitionIdOf(db, portalId, eventType),
    objectType: objectType === undefined ? undefined : primaryObjectOf(objectType),
    objectId,
    occurredAfter: occurredAfter === undefined ? undefined : parseTimestamp(occurredAfter),
    occurredBefore: occurredBefore === undefined ? undefined : parseTimestamp(occurredBefore),
    after: after === undefined ? undefined : decodeCursor(after),
    limit: limit === undefined ? COMPLETION_LIMITS.readDefaultLimit : Number(limit),
  };
  if (
    filter.occurredAfter !== undefined &&
    filter.occurredBefore !== undefined &&
    filter.occurredAfter >= filter.occurredBefore
  ) {
    throw HttpError.validation('Invalid query: occurredAfter must be earlier than occurredBefore.', [
      { message: 'occurredAfter must be earlier than occurredBefore', in: 'occurredAfter', code: 'invalid_range' },
    ]);
  }
  return filter;
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

/** Zod issues of the query string: `in` is the parameter, or `query` for unknown parameters. */
function queryDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    message: issue.message,
    in: issue.path.length > 0 ? issue.path.map(String).join('.') : 'query',
    code: issue.code,
  }));
}

async function definitionIdOf(db: Kysely<Database>, portalId: number, eventType: string): Promise<number> {
  const parsed = parseFullyQualifiedEventName(eventType);
  if (!parsed || parsed.portalId !== portalId) {
    throw HttpError.validation(`Invalid query: eventType "${eventType}" is not an event of portal ${portalId}.`, [
      { message: `events of portal ${portalId} are named pe${portalId}_{name}`, in: 'eventType', code: 'wrong_portal' },
    ]);
  }
  const row = await db
    .selectFrom('event_definitions')
    .select('id')
    .where('portal_id', '=', portalId)
    .where('name', '=', parsed.name)
    .executeTakeFirst();
  if (!row) {
    throw HttpError.validation(`Invalid query: no event named "${parsed.name}" exists.`, [
      { message: `no event named "${parsed.name}" exists`, in: 'eventType', code: 'unknown_event' },
    ]);
  }
  return row.id;
}

/** The paging cursor: opaque to clients, the (occurredAt, id) position of the page's last completion. */
export function encodeCursor(occurredAt: number, id: number): string {
  return Buffer.from(`${occurredAt}.${id}`).toString('base64url');
}

export function decodeCursor(after: string): { occurredAt: number; id: number } {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!match) {
    throw HttpError.validation('Invalid query: after must be the cursor returned in paging.next.after.', [
      { message: 'after must be the cursor returned in paging.next.after', in: 'after', code: 'invalid_cursor' },
    ]);
  }
  return { occurredAt: Number(match[1]), id: Number(match[2]) };
}
