import type SQLite from 'better-sqlite3';
import { sql, SqliteIntrospector, type Kysely } from 'kysely';
import {
  ANONYMOUS_OBJECT_ID,
  parseFullyQualifiedEventName,
  type CompletionInput,
  type ErrorDetail,
  type PrimaryObject,
} from '../../lib/shared';
import {
  checkCompletionInput,
  completionPropertyRules,
  type CheckedCompletion,
  type CompletionTarget,
} from '../ingest/check-completion';
import { existingContactIds, resolveContacts, type ContactIdentity } from './contacts';
import { definitionsWithProperties } from './definition-properties';
import type { Database, NewCompletionRow } from './schema';
import { sqliteHandleOf } from './database';
import { enqueueForWorkflows, loadWatches, needsProperties } from '../workflows/outbox';

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

/** The portal's definitions with these internal names (archived ones included), by name. */
export async function loadIngestTargets(
  db: Kysely<Database>,
  portalId: number,
  names: readonly string[],
): Promise<Map<string, IngestTarget>> {
  // One query for definitions and their properties: it runs once per group commit.
  const definitions = await definitionsWithProperties(db, portalId, { names });
  return new Map(
    definitions.map((definition) => [
      definition.name,
      {
        id: definition.id,
        target: {
          name: definition.name,
          primaryObject: definition.primaryObject,
          archived: definition.archived,
          rules: completionPropertyRules(definition.properties),
        },
      },
    ]),
  );
}

/**
 * Inserts completions with multi-row statements; a row whose uuid the portal already has is
 * skipped. Returns how many rows were stored. Run it in a transaction: it also writes the workflow
 * outbox rows of the stored completions.
 */
export async function insertCompletions(db: Kysely<Database>, rows: readonly NewCompletionRow[]): Promise<number> {
  let stored = 0;
  // Read once, in this transaction: which stored completions the workflow engine must see.
  const watches = await loadWatches(
    db,
    rows.map((row) => row.definition_id),
  );
  const withProperties = needsProperties(watches);
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const result = await db
      .insertInto('completions')
      .values(rows.slice(start, start + INSERT_CHUNK))
      // The same predicate as the partial unique index, so both databases infer it as the arbiter.
      .onConflict((conflict) => conflict.columns(['portal_id', 'uuid']).where('uuid', 'is not', null).doNothing())
      .returning(['id', 'definition_id'])
      .$if(withProperties, (query) => query.returning('properties_json'))
      .execute();
    stored += result.length;
    // Same transaction: a completion that workflows listen to is never stored without its outbox row.
    await enqueueForWorkflows(db, watches, result);
  }
  return stored;
}

const bulkInserts = new WeakMap<SQLite.Database, SQLite.Statement<unknown[], { id: number }>>();

/**
 * `insertCompletions` for large batches (an import's, a group commit's), in the caller's
 * transaction: the same rows, the same uuid conflict rule, the same outbox rows. Building a
 * 1,000-row VALUES list cost Kysely more time than the database took to store the rows
 * (bench:import, bench:ingest), so with `sqlite` (the raw
 * connection under `db`, see `sqliteHandleOf`) each row goes through one prepared statement, and
 * on PostgreSQL the batch is one INSERT of `unnest` over a parameter array per column.
 */
export async function insertCompletionsBulk(
  db: Kysely<Database>,
  sqlite: SQLite.Database | undefined,
  rows: readonly NewCompletionRow[],
  /** Each row's properties as an object, when the caller has them (spares parsing them again). */
  properties?: readonly Readonly<Record<string, string | number | boolean>>[],
): Promise<number> {
  if (!sqlite && db.introspection instanceof SqliteIntrospector) return insertCompletions(db, rows);
  const watches = await loadWatches(
    db,
    rows.map((row) => row.definition_id),
  );
  const stored = sqlite
    ? insertWithStatement(sqlite, rows, properties)
    : await insertUnnested(db, rows, needsProperties(watches));
  await enqueueForWorkflows(db, watches, stored);
  return stored.length;
}

type StoredRow = {
  id: number;
  definition_id: number;
  properties_json?: string;
  properties?: Readonly<Record<string, string | number | boolean>>;
};

async function insertUnnested(
  db: Kysely<Database>,
  rows: readonly NewCompletionRow[],
  withProperties: boolean,
): Promise<StoredRow[]> {
  const column = <K extends keyof NewCompletionRow>(key: K) => rows.map((row) => row[key] ?? null);
  const returned = withProperties ? sql`id, definition_id, properties_json` : sql`id, definition_id`;
  const result = await sql<StoredRow>`
    INSERT INTO completions (portal_id, definition_id, object_type, object_id, occurred_at, uuid, properties_json, received_at)
    SELECT * FROM unnest(${column('portal_id')}::integer[], ${column('definition_id')}::integer[],
      ${column('object_type')}::text[], ${column('object_id')}::text[], ${column('occurred_at')}::bigint[],
      ${column('uuid')}::text[], ${column('properties_json')}::text[], ${column('received_at')}::bigint[])
    ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING
    RETURNING ${returned}`.execute(db);
  return result.rows;
}

function insertWithStatement(
  sqlite: SQLite.Database,
  rows: readonly NewCompletionRow[],
  properties: readonly Readonly<Record<string, string | number | boolean>>[] | undefined,
): StoredRow[] {
  let insert = bulkInserts.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare<unknown[], { id: number }>(
      `INSERT INTO completions (portal_id, definition_id, object_type, object_id, occurred_at, uuid, properties_json, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING RETURNING id`,
    );
    bulkInserts.set(sqlite, insert);
  }
  const stored: StoredRow[] = [];
  for (const [index, row] of rows.entries()) {
    const inserted = insert.get(
      row.portal_id,
      row.definition_id,
      row.object_type,
      row.object_id,
      row.occurred_at,
      row.uuid ?? null,
      row.properties_json,
      row.received_at,
    );
    if (inserted) {
      stored.push({
        id: inserted.id,
        definition_id: row.definition_id,
        properties_json: row.properties_json,
        properties: properties?.[index],
      });
    }
  }
  return stored;
}

/** A completion's place in the (occurredAt, id) order; paging cursors carry it. */
export interface CompletionCursor {
  occurredAt: number;
  id: number;
}

/** Filters of `GET /events/v3/events`, resolved to storage terms. */
export interface CompletionFilter {
  definitionId?: number;
  objectType?: PrimaryObject;
  objectId?: string;
  /** Exclusive bounds, epoch milliseconds. */
  occurredAfter?: number;
  occurredBefore?: number;
  /** Only these completion ids. */
  ids?: readonly number[];
  /** Property values that must match exactly, compared as the text the read API returns. */
  properties?: readonly { name: string; value: string }[];
  /** `desc` (newest first, the default) or `asc`. */
  order?: 'asc' | 'desc';
  /** The page after this completion (in `order`). */
  after?: CompletionCursor;
  /** The page before this completion (in `order`); not with `after`. */
  before?: CompletionCursor;
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

/**
 * One page of completions in (occurredAt, id) order. `hasMore` says whether more completions lie
 * beyond the page in the direction it was read: after it for a first or `after` page, before it
 * for a `before` page.
 */
export async function listCompletions(
  db: Kysely<Database>,
  portalId: number,
  filter: CompletionFilter,
): Promise<{ results: StoredCompletion[]; hasMore: boolean }> {
  const sqlite = db.introspection instanceof SqliteIntrospector;
  const order = filter.order ?? 'desc';
  // A `before` page is read backwards from its cursor, then turned around.
  const backwards = filter.before !== undefined;
  const readOrder = backwards ? (order === 'desc' ? 'asc' : 'desc') : order;
  const cursor = filter.before ?? filter.after;
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
  if (filter.ids !== undefined)
    query = query.where('completions.id', 'in', filter.ids.length > 0 ? [...filter.ids] : [-1]);
  for (const { name, value } of filter.properties ?? []) {
    // Numbers are stored as JSON numbers; both databases print them as the read API does for
    // integers and ordinary decimals, so `property.amount=42` matches a stored 42.
    const stored = sqlite
      ? sql<string>`cast(json_extract(completions.properties_json, ${`$."${name}"`}) as text)`
      : sql<string>`(completions.properties_json::jsonb ->> ${name})`;
    query = query.where(stored, '=', value);
  }
  if (cursor) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('completions.occurred_at', 'completions.id'),
        readOrder === 'desc' ? '<' : '>',
        eb.tuple(cursor.occurredAt, cursor.id),
      ),
    );
  }
  const rows = await query
    .orderBy('completions.occurred_at', readOrder)
    .orderBy('completions.id', readOrder)
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  if (backwards) page.reverse();
  return {
    results: page.map((row) => ({
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
  /** From the unauthenticated tracker: never re-point a visitor token linked to another email. */
  keepVisitorLinks?: boolean;
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
  readonly #inFlight = new Set<Promise<void>>();

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
      while (this.#active < this.#concurrency && this.#queue.length > 0) {
        const flushing = this.#flush(this.#takeGroup());
        this.#inFlight.add(flushing);
        void flushing.finally(() => this.#inFlight.delete(flushing));
      }
    });
  }

  /** Resolves once the transactions in flight now have ended (those started later are not awaited). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
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
        return await this.#db.transaction().execute((trx) => writeGroup(trx, submissions, sqliteHandleOf(this.#db)));
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

/**
 * Validates every submission of a group and stores the valid ones, in the caller's transaction;
 * `sqlite` is the raw connection under it (rows then go through one prepared statement, see
 * `insertCompletionsBulk`).
 */
async function writeGroup(
  db: Kysely<Database>,
  submissions: CompletionSubmission[],
  sqlite: SQLite.Database | undefined,
): Promise<SubmissionResult[]> {
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
  const rowProperties: Readonly<Record<string, string | number | boolean>>[] = [];
  const seenUuids = new Set<string>();
  const receivedAt = Date.now();
  for (const [portalId, group] of byPortal(valid)) {
    const completions = group.flatMap((entry) =>
      entry.completions.map((item) => ({ completion: item.completion, keepLink: entry.keepVisitorLinks })),
    );
    // Completions without email, utk or objectId are anonymous (cookieless consent mode): no contact.
    const identified = completions.filter(
      ({ completion }) =>
        completion.objectId === undefined && (completion.email !== undefined || completion.utk !== undefined),
    );
    const contactIds = await resolveContacts(
      db,
      portalId,
      identified.map(({ completion, keepLink }) => identityOf(completion, keepLink)),
    );
    const contactOf = new Map(identified.map(({ completion }, index) => [completion, contactIds[index]!]));
    for (const entry of group) {
      for (const { definitionId, completion } of entry.completions) {
        if (completion.uuid !== undefined) {
          // A uuid repeated within the group is stored once, like one already in the table.
          const key = `${portalId}\n${completion.uuid}`;
          if (seenUuids.has(key)) continue;
          seenUuids.add(key);
        }
        rowProperties.push(completion.properties);
        rows.push({
          portal_id: portalId,
          definition_id: definitionId,
          object_type: completion.objectType,
          object_id: completion.objectId ?? contactObjectId(contactOf.get(completion)),
          occurred_at: completion.occurredAt,
          uuid: completion.uuid ?? null,
          properties_json: JSON.stringify(completion.properties),
          received_at: receivedAt,
        });
      }
    }
  }
  await insertCompletionsBulk(db, sqlite, rows, rowProperties);

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
  keepVisitorLinks: boolean;
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
    const entry: CheckedSubmission = {
      portalId: submission.portalId,
      keepVisitorLinks: submission.keepVisitorLinks ?? false,
      errors: [...submission.errors],
      completions: [],
    };
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

function contactObjectId(contactId: number | undefined): string {
  return contactId === undefined ? ANONYMOUS_OBJECT_ID : String(contactId);
}

function identityOf(completion: CheckedCompletion, keepLink: boolean): ContactIdentity {
  if (completion.email !== undefined) return { email: completion.email, utk: completion.utk, keepLink };
  return { utk: completion.utk!, keepLink };
}
