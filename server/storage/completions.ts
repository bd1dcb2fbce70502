import { SqliteIntrospector, type Kysely } from 'kysely';
import {
  checkCompletionInput,
  completionPropertyRules,
  parseFullyQualifiedEventName,
  type CheckedCompletion,
  type CompletionInput,
  type CompletionTarget,
  type ErrorDetail,
  type PrimaryObject,
  type PropertyType,
} from '../../lib/shared';
import { existingContactIds, resolveContacts, type ContactIdentity } from './contacts';
import type { Database, NewCompletionRow } from './schema';
import { enqueueForWorkflows } from '../workflows/outbox';

/** Rows per INSERT: 8 columns each, well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 1000;
/** Upper bound of inputs one group commit takes, so a burst cannot make one transaction huge. */
export const GROUP_MAX_INPUTS = 5000;

// --- Reading and writing rows ----------------------------------------------------------------------

/** An event definition as ingest needs it: its row id and what `checkCompletionInput` checks. */
export interface IngestTarget {
  id: number;
  target: CompletionTarget;
}

type PropertySource = { name: string; type: PropertyType; options: { value: string }[] };

/** The portal's definitions with these internal names (archived ones included), by name. */
export async function loadIngestTargets(
  db: Kysely<Database>,
  portalId: number,
  names: readonly string[],
): Promise<Map<string, IngestTarget>> {
  const targets = new Map<string, IngestTarget>();
  if (names.length === 0) return targets;
  // One query for definitions and their properties: it runs once per group commit.
  const rows = await db
    .selectFrom('event_definitions')
    .leftJoin('event_properties', 'event_properties.definition_id', 'event_definitions.id')
    .select([
      'event_definitions.id',
      'event_definitions.name',
      'event_definitions.primary_object',
      'event_definitions.archived',
      'event_properties.name as property_name',
      'event_properties.type as property_type',
      'event_properties.options_json',
    ])
    .where('event_definitions.portal_id', '=', portalId)
    .where('event_definitions.name', 'in', [...new Set(names)])
    .execute();
  const byId = new Map<number, { row: (typeof rows)[number]; properties: PropertySource[] }>();
  for (const row of rows) {
    const entry = byId.get(row.id) ?? { row, properties: [] };
    byId.set(row.id, entry);
    if (row.property_name === null) continue;
    entry.properties.push({
      name: row.property_name,
      type: row.property_type as PropertyType,
      options: JSON.parse(row.options_json ?? '[]') as { value: string }[],
    });
  }
  for (const { row, properties } of byId.values()) {
    targets.set(row.name, {
      id: row.id,
      target: {
        name: row.name,
        primaryObject: row.primary_object as PrimaryObject,
        archived: Boolean(row.archived),
        rules: completionPropertyRules(properties),
      },
    });
  }
  return targets;
}

/**
 * Inserts completions with multi-row statements; a row whose uuid the portal already has is
 * skipped. Returns how many rows were stored. Run it in a transaction: it also writes the workflow
 * outbox rows of the stored completions.
 */
export async function insertCompletions(db: Kysely<Database>, rows: readonly NewCompletionRow[]): Promise<number> {
  let stored = 0;
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const result = await db
      .insertInto('completions')
      .values(rows.slice(start, start + INSERT_CHUNK))
      // The same predicate as the partial unique index, so both databases infer it as the arbiter.
      .onConflict((conflict) => conflict.columns(['portal_id', 'uuid']).where('uuid', 'is not', null).doNothing())
      .returning(['id', 'definition_id'])
      .execute();
    stored += result.length;
    // Same transaction: a completion that workflows listen to is never stored without its outbox row.
    await enqueueForWorkflows(db, result);
  }
  return stored;
}

/** Filters of `GET /events/v3/events`, resolved to storage terms. */
export interface CompletionFilter {
  definitionId?: number;
  objectType?: PrimaryObject;
  objectId?: string;
  /** Exclusive bounds, epoch milliseconds. */
  occurredAfter?: number;
  occurredBefore?: number;
  /** Position of the last completion of the previous page. */
  after?: { occurredAt: number; id: number };
  limit: number;
}

export interface StoredCompletion {
  id: number;
  name: string;
  objectType: PrimaryObject;
  objectId: string;
  occurredAt: number;
  properties: Record<string, string | number>;
}

/** One page of the portal's completions, newest first (ties broken by id, so paging is stable). */
export async function listCompletions(
  db: Kysely<Database>,
  portalId: number,
  filter: CompletionFilter,
): Promise<{ results: StoredCompletion[]; hasMore: boolean }> {
  let query = db
    .selectFrom('completions')
    .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
    .select([
      'completions.id',
      'event_definitions.name',
      'completions.object_type',
      'completions.object_id',
      'completions.occurred_at',
      'completions.properties_json',
    ])
    .where('completions.portal_id', '=', portalId);
  if (filter.definitionId !== undefined) query = query.where('completions.definition_id', '=', filter.definitionId);
  if (filter.objectType !== undefined) query = query.where('completions.object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) query = query.where('completions.object_id', '=', filter.objectId);
  if (filter.occurredAfter !== undefined) query = query.where('completions.occurred_at', '>', filter.occurredAfter);
  if (filter.occurredBefore !== undefined) query = query.where('completions.occurred_at', '<', filter.occurredBefore);
  const after = filter.after;
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('completions.occurred_at', 'completions.id'), '<', eb.tuple(after.occurredAt, after.id)),
    );
  }
  const rows = await query
    .orderBy('completions.occurred_at', 'desc')
    .orderBy('completions.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return {
    results: rows.slice(0, filter.limit).map((row) => ({
      id: row.id,
      name: row.name,
      objectType: row.object_type as PrimaryObject,
      objectId: row.object_id,
      // PostgreSQL returns bigint as a number (see database.ts); SQLite returns a number already.
      occurredAt: Number(row.occurred_at),
      properties: JSON.parse(row.properties_json) as Record<string, string | number>,
    })),
    hasMore: rows.length > filter.limit,
  };
}

// --- Group commit ----------------------------------------------------------------------------------

/** One request's completions (a single send or a batch), stored all together or not at all. */
export interface CompletionSubmission {
  portalId: number;
  /** When the request arrived: the default `occurredAt`. */
  receivedAt: number;
  /** Inputs that passed `completionInputSchema`, with their index and the prefix of their errors' `in`. */
  inputs: readonly { index: number; path: string; input: CompletionInput }[];
  /** Errors the caller already found (inputs that failed the schema); nothing is stored then. */
  errors: readonly { index: number; details: ErrorDetail[] }[];
}

export type SubmissionResult = { ok: true } | { ok: false; invalidInputs: number; errors: ErrorDetail[] };

interface Pending {
  submission: CompletionSubmission;
  resolve(result: SubmissionResult): void;
  reject(error: unknown): void;
}

/**
 * Stores completions with group commit: the submissions that arrive while a transaction is being
 * written are validated and written together in the next one. Every request still gets its own
 * all-or-nothing outcome, and is answered only after the transaction holding it has committed (so
 * an acknowledged completion survives a crash), but a commit (and its fsync) is shared by every
 * request waiting for it instead of costing one per request.
 */
export class CompletionWriter {
  readonly #db: Kysely<Database>;
  readonly #concurrency: number;
  #queue: Pending[] = [];
  #active = 0;
  #scheduled = false;

  /**
   * `concurrency`: transactions in flight at once. SQLite has a single writer (and Kysely a single
   * connection to it), so 1; PostgreSQL overlaps one group's round trips and commit with the next.
   */
  constructor(db: Kysely<Database>, options: { concurrency?: number } = {}) {
    this.#db = db;
    this.#concurrency = options.concurrency ?? (db.introspection instanceof SqliteIntrospector ? 1 : 4);
  }

  /** Checks a submission against its event definitions and stores it if it is entirely valid. */
  submit(submission: CompletionSubmission): Promise<SubmissionResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ submission, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#active >= this.#concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    // Start after the current I/O phase, so requests that arrived together share one commit.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#active < this.#concurrency && this.#queue.length > 0) void this.#flush(this.#takeGroup());
    });
  }

  async #flush(group: Pending[]): Promise<void> {
    this.#active++;
    try {
      const results = await this.#writeWithRetry(group.map((pending) => pending.submission));
      group.forEach((pending, index) => pending.resolve(results[index]!));
    } catch (error) {
      for (const pending of group) pending.reject(error);
    } finally {
      this.#active--;
      this.#schedule();
    }
  }

  #takeGroup(): Pending[] {
    let inputs = 0;
    let count = 0;
    while (count < this.#queue.length) {
      inputs += this.#queue[count]!.submission.inputs.length;
      if (count > 0 && inputs > GROUP_MAX_INPUTS) break;
      count++;
    }
    return this.#queue.splice(0, count);
  }

  async #writeWithRetry(submissions: CompletionSubmission[]): Promise<SubmissionResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction().execute((trx) => writeGroup(trx, submissions));
      } catch (error) {
        // Concurrent writers on PostgreSQL (other groups, other servers) can collide: a deadlock,
        // a serialization failure, or a unique violation when both created the same contact. The
        // group is simply written again; it then sees the other writer's rows.
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001' && code !== '23505')) throw error;
      }
    }
  }
}

/** Validates every submission of a group and stores the valid ones, in the caller's transaction. */
async function writeGroup(db: Kysely<Database>, submissions: CompletionSubmission[]): Promise<SubmissionResult[]> {
  const checked = await checkSubmissions(db, submissions);

  // Contact ids sent as objectId must exist; a missing one fails its whole submission.
  for (const [portalId, group] of byPortal(checked.filter((entry) => entry.errors.length === 0))) {
    const ids = group.flatMap((entry) =>
      entry.completions.flatMap(({ completion }) =>
        completion.objectType === 'CONTACT' && completion.objectId !== undefined ? [Number(completion.objectId)] : [],
      ),
    );
    if (ids.length === 0) continue;
    const existing = await existingContactIds(db, portalId, ids);
    for (const entry of group) {
      for (const { index, path, completion } of entry.completions) {
        if (completion.objectType !== 'CONTACT' || completion.objectId === undefined) continue;
        if (existing.has(Number(completion.objectId))) continue;
        entry.errors.push({
          index,
          details: [
            {
              message: `no contact has the id "${completion.objectId}"`,
              in: `${path}objectId`,
              code: 'unknown_object',
            },
          ],
        });
      }
    }
  }

  const valid = checked.filter((entry) => entry.errors.length === 0);
  const rows: NewCompletionRow[] = [];
  const seenUuids = new Set<string>();
  const receivedAt = Date.now();
  for (const [portalId, group] of byPortal(valid)) {
    const completions = group.flatMap((entry) => entry.completions.map((item) => item.completion));
    const identified = completions.filter((completion) => completion.objectId === undefined);
    const contactIds = await resolveContacts(db, portalId, identified.map(identityOf));
    const contactOf = new Map(identified.map((completion, index) => [completion, contactIds[index]!]));
    for (const entry of group) {
      for (const { definitionId, completion } of entry.completions) {
        if (completion.uuid !== undefined) {
          // A uuid repeated within the group is stored once, like one already in the table.
          const key = `${portalId}\n${completion.uuid}`;
          if (seenUuids.has(key)) continue;
          seenUuids.add(key);
        }
        rows.push({
          portal_id: portalId,
          definition_id: definitionId,
          object_type: completion.objectType,
          object_id: completion.objectId ?? String(contactOf.get(completion)),
          occurred_at: completion.occurredAt,
          uuid: completion.uuid ?? null,
          properties_json: JSON.stringify(completion.properties),
          received_at: receivedAt,
        });
      }
    }
  }
  await insertCompletions(db, rows);

  return checked.map((entry) => {
    if (entry.errors.length === 0) return { ok: true };
    const sorted = entry.errors.sort((a, b) => a.index - b.index);
    return {
      ok: false,
      invalidInputs: new Set(sorted.map((error) => error.index)).size,
      errors: sorted.flatMap((error) => error.details),
    };
  });
}

interface CheckedSubmission {
  portalId: number;
  errors: { index: number; details: ErrorDetail[] }[];
  completions: { index: number; path: string; definitionId: number; completion: CheckedCompletion }[];
}

/** Applies the event definitions (loaded once per portal for the whole group) to every input. */
async function checkSubmissions(
  db: Kysely<Database>,
  submissions: CompletionSubmission[],
): Promise<CheckedSubmission[]> {
  const names = new Map<number, Set<string>>();
  for (const { portalId, inputs } of submissions) {
    for (const { input } of inputs) {
      const parsed = parseFullyQualifiedEventName(input.eventName);
      if (parsed?.portalId !== portalId) continue;
      const set = names.get(portalId) ?? new Set<string>();
      set.add(parsed.name);
      names.set(portalId, set);
    }
  }
  const targets = new Map<number, Map<string, IngestTarget>>();
  for (const [portalId, set] of names) targets.set(portalId, await loadIngestTargets(db, portalId, [...set]));

  return submissions.map((submission) => {
    const entry: CheckedSubmission = { portalId: submission.portalId, errors: [...submission.errors], completions: [] };
    const portalTargets = targets.get(submission.portalId);
    for (const { index, path, input } of submission.inputs) {
      const name = parseFullyQualifiedEventName(input.eventName)?.name;
      const target = name === undefined ? undefined : portalTargets?.get(name);
      const check = checkCompletionInput(input, target?.target, {
        portalId: submission.portalId,
        receivedAt: submission.receivedAt,
        path,
      });
      if (!check.ok) entry.errors.push({ index, details: check.errors });
      else entry.completions.push({ index, path, definitionId: target!.id, completion: check.completion });
    }
    return entry;
  });
}

function byPortal(entries: CheckedSubmission[]): Map<number, CheckedSubmission[]> {
  const groups = new Map<number, CheckedSubmission[]>();
  for (const entry of entries) groups.set(entry.portalId, [...(groups.get(entry.portalId) ?? []), entry]);
  return groups;
}

function identityOf(completion: CheckedCompletion): ContactIdentity {
  if (completion.email !== undefined) return { email: completion.email, utk: completion.utk };
  return { utk: completion.utk! };
}
