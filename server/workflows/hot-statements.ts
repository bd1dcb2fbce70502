import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { WorkflowDeliveryTable, WorkflowEnrolmentTable } from './tables';

/**
 * The statements the engine runs for every enrolment and every delivery, as fixed SQL run through
 * Kysely's connection (in the caller's transaction). Kysely builds and compiles a query anew each
 * time, which costs more than SQLite takes to run it: with 100 workflows enrolling 1% of a fast
 * ingest, building was the engine's largest cost (bench:workflows, profiled). Everything else in
 * the engine uses the query builder. The SQL is written for both databases: `?` placeholders,
 * numbered for PostgreSQL.
 */

export type EnrolmentRow = Omit<WorkflowEnrolmentTable, 'id'> & { id: number };

export interface HistoryEntry {
  kind: string;
  stepId: string | null;
  detail: string | null;
}

export type NewDelivery = Pick<
  WorkflowDeliveryTable,
  'portal_id' | 'workflow_id' | 'enrolment_id' | 'step_id' | 'url' | 'idempotency_key' | 'payload_json'
> & { now: number };

export type DeliveryOutcome = Pick<
  WorkflowDeliveryTable,
  'status' | 'response_status' | 'latency_ms' | 'error' | 'next_attempt_at'
> & { now: number };

const numbered = new Map<string, string>();

function forDialect(sqlite: boolean, text: string): string {
  if (sqlite) return text;
  let pg = numbered.get(text);
  if (pg === undefined) {
    let index = 0;
    pg = text.replace(/\?/g, () => `$${++index}`);
    numbered.set(text, pg);
  }
  return pg;
}

async function rows<R>(db: Kysely<Database>, sqlite: boolean, text: string, parameters: unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(forDialect(sqlite, text), parameters))).rows;
}

/** A column of a multi-row statement's rows, with its PostgreSQL array type. */
type ColumnType = 'int' | 'bigint' | 'text';

/**
 * Rows as one statement parameter source with a fixed SQL text whatever their number (so SQLite's
 * prepared statement is reused and PostgreSQL gets one round trip): on SQLite a JSON array of rows
 * read with `json_each` (one parameter), on PostgreSQL `unnest` over one array parameter per
 * column. Columns are named `c0`, `c1`... in `types` order; `v` is the source's alias.
 */
function rowSource(sqlite: boolean, types: readonly ColumnType[], rows: readonly unknown[][]) {
  if (sqlite) {
    return {
      text: `(select ${types.map((_, index) => `value ->> ${index} as c${index}`).join(', ')} from json_each(?)) as v`,
      parameters: [JSON.stringify(rows)],
    };
  }
  return {
    text: `unnest(${types.map((type) => `?::${type}[]`).join(', ')}) as v(${types.map((_, index) => `c${index}`).join(', ')})`,
    parameters: types.map((_, index) => rows.map((row) => row[index] ?? null)),
  };
}

/** `column in <list>` with one parameter, a fixed text whatever the list's length. */
function inParameter(sqlite: boolean, column: string, values: readonly number[]) {
  return sqlite
    ? { text: `${column} in (select value from json_each(?))`, parameter: JSON.stringify(values) }
    : { text: `${column} = any(?::bigint[])`, parameter: [...values] };
}

export interface NewEnrolment {
  portal_id: number;
  workflow_id: number;
  contact_id: number;
  once_key: number | null;
  completion_id: number;
  status: string;
  step_id: string | null;
  next_run_at: number | null;
  enrolled_at: number;
  finished_at: number | null;
}

export interface HistoryRow extends HistoryEntry {
  enrolmentId: number;
  at: number;
}

export interface ClaimRelease {
  enrolmentId: number;
  claimToken: string;
  stepId: string;
  next_run_at: number | null;
  step_id: string | null;
}

export type DeliveryRow = Omit<WorkflowDeliveryTable, 'id'> & { id: number };

export interface ContactWithProperties {
  email: string;
  properties: Record<string, string>;
}

/** The engine's per-enrolment statements on one database (SQLite or PostgreSQL). */
export class HotStatements {
  readonly #sqlite: boolean;

  constructor(sqlite: boolean) {
    this.#sqlite = sqlite;
  }

  // --- Several rows per statement (one pass's writes) ---------------------------------------------

  /**
   * Inserts enrolments in one statement; those that enrol-once refuses (the unique workflow/once_key
   * index, also against earlier rows of the same statement) are left out of the result. The rows
   * come back with their workflow and completion, by which the caller matches them to its own.
   */
  async insertEnrolments(
    db: Kysely<Database>,
    enrolments: readonly NewEnrolment[],
  ): Promise<{ id: number; workflow_id: number; completion_id: number }[]> {
    if (enrolments.length === 0) return [];
    const source = rowSource(
      this.#sqlite,
      ['int', 'int', 'int', 'int', 'int', 'text', 'text', 'bigint', 'bigint', 'bigint'],
      enrolments.map((row) => [
        row.portal_id,
        row.workflow_id,
        row.contact_id,
        row.once_key,
        row.completion_id,
        row.status,
        row.step_id,
        row.next_run_at,
        row.enrolled_at,
        row.finished_at,
      ]),
    );
    return rows(
      db,
      this.#sqlite,
      `insert into workflow_enrolments (portal_id, workflow_id, contact_id, once_key, completion_id, status, step_id,
         next_run_at, claim_token, wait_json, enrolled_at, finished_at)
       select c0, c1, c2, c3, c4, c5, c6, c7, null, null, c8, c9 from ${source.text} where true
       on conflict (workflow_id, once_key) do nothing returning id, workflow_id, completion_id`,
      source.parameters,
    );
  }

  /** Writes the state columns of several enrolments as the rows have them. */
  async updateEnrolments(db: Kysely<Database>, enrolments: readonly EnrolmentRow[]): Promise<void> {
    if (enrolments.length === 0) return;
    const source = rowSource(
      this.#sqlite,
      ['bigint', 'text', 'text', 'bigint', 'text', 'text', 'bigint'],
      enrolments.map((row) => [
        row.id,
        row.status,
        row.step_id,
        row.next_run_at,
        row.claim_token,
        row.wait_json,
        row.finished_at,
      ]),
    );
    const target = this.#sqlite ? 'workflow_enrolments' : 'workflow_enrolments as e';
    const id = this.#sqlite ? 'workflow_enrolments.id' : 'e.id';
    await rows(
      db,
      this.#sqlite,
      `update ${target} set status = v.c1, step_id = v.c2, next_run_at = v.c3, claim_token = v.c4, wait_json = v.c5,
         finished_at = v.c6 from ${source.text} where ${id} = v.c0`,
      source.parameters,
    );
  }

  async addHistoryRows(db: Kysely<Database>, entries: readonly HistoryRow[]): Promise<void> {
    if (entries.length === 0) return;
    const source = rowSource(
      this.#sqlite,
      ['bigint', 'bigint', 'text', 'text', 'text'],
      entries.map((entry) => [entry.enrolmentId, entry.at, entry.kind, entry.stepId, entry.detail]),
    );
    await rows(
      db,
      this.#sqlite,
      `insert into workflow_history (enrolment_id, at, kind, step_id, detail)
       select c0, c1, c2, c3, c4 from ${source.text}`,
      source.parameters,
    );
  }

  /** Inserts deliveries in one statement; returns each one's id by its idempotency key. */
  async insertDeliveries(db: Kysely<Database>, deliveries: readonly NewDelivery[]): Promise<Map<string, number>> {
    if (deliveries.length === 0) return new Map();
    const source = rowSource(
      this.#sqlite,
      ['int', 'int', 'bigint', 'text', 'text', 'text', 'text', 'bigint'],
      deliveries.map((delivery) => [
        delivery.portal_id,
        delivery.workflow_id,
        delivery.enrolment_id,
        delivery.step_id,
        delivery.url,
        delivery.idempotency_key,
        delivery.payload_json,
        delivery.now,
      ]),
    );
    const inserted = await rows<{ id: number; idempotency_key: string }>(
      db,
      this.#sqlite,
      `insert into workflow_deliveries (portal_id, workflow_id, enrolment_id, step_id, url, idempotency_key,
         payload_json, status, attempts, response_status, latency_ms, error, next_attempt_at, created_at, updated_at)
       select c0, c1, c2, c3, c4, c5, c6, 'pending', 1, null, null, null, null, c7, c7 from ${source.text}
       returning id, idempotency_key`,
      source.parameters,
    );
    return new Map(inserted.map((row) => [row.idempotency_key, row.id]));
  }

  /** The deliveries of these enrolments. */
  async deliveriesOf(db: Kysely<Database>, enrolmentIds: readonly number[]): Promise<DeliveryRow[]> {
    if (enrolmentIds.length === 0) return [];
    const list = inParameter(this.#sqlite, 'enrolment_id', enrolmentIds);
    return rows(db, this.#sqlite, `select * from workflow_deliveries where ${list.text}`, [list.parameter]);
  }

  /** Attempts so far of these deliveries, by id. */
  async attemptsOf(db: Kysely<Database>, deliveryIds: readonly number[]): Promise<Map<number, number>> {
    if (deliveryIds.length === 0) return new Map();
    const list = inParameter(this.#sqlite, 'id', deliveryIds);
    const found = await rows<{ id: number; attempts: number }>(
      db,
      this.#sqlite,
      `select id, attempts from workflow_deliveries where ${list.text}`,
      [list.parameter],
    );
    return new Map(found.map((row) => [row.id, row.attempts]));
  }

  async recordAttempts(
    db: Kysely<Database>,
    outcomes: readonly (DeliveryOutcome & { deliveryId: number })[],
  ): Promise<void> {
    if (outcomes.length === 0) return;
    const source = rowSource(
      this.#sqlite,
      ['bigint', 'text', 'int', 'int', 'text', 'bigint', 'bigint'],
      outcomes.map((outcome) => [
        outcome.deliveryId,
        outcome.status,
        outcome.response_status,
        outcome.latency_ms,
        outcome.error,
        outcome.next_attempt_at,
        outcome.now,
      ]),
    );
    const target = this.#sqlite ? 'workflow_deliveries' : 'workflow_deliveries as d';
    const id = this.#sqlite ? 'workflow_deliveries.id' : 'd.id';
    await rows(
      db,
      this.#sqlite,
      `update ${target} set status = v.c1, response_status = v.c2, latency_ms = v.c3, error = v.c4,
         next_attempt_at = v.c5, updated_at = v.c6 from ${source.text} where ${id} = v.c0`,
      source.parameters,
    );
  }

  /**
   * `releaseClaim` for several enrolments in one statement: returns those whose claim (token and
   * step) was still held, as they now are.
   */
  async releaseClaims(db: Kysely<Database>, releases: readonly ClaimRelease[]): Promise<EnrolmentRow[]> {
    if (releases.length === 0) return [];
    const source = rowSource(
      this.#sqlite,
      ['bigint', 'text', 'text', 'bigint', 'text'],
      releases.map((release) => [
        release.enrolmentId,
        release.claimToken,
        release.stepId,
        release.next_run_at,
        release.step_id,
      ]),
    );
    const text = this.#sqlite
      ? `update workflow_enrolments set next_run_at = v.c3, claim_token = null, step_id = v.c4 from ${source.text}
         where workflow_enrolments.id = v.c0 and workflow_enrolments.claim_token = v.c1
           and workflow_enrolments.step_id = v.c2 returning *`
      : `update workflow_enrolments as e set next_run_at = v.c3, claim_token = null, step_id = v.c4 from ${source.text}
         where e.id = v.c0 and e.claim_token = v.c1 and e.step_id = v.c2 returning e.*`;
    return rows(db, this.#sqlite, text, source.parameters);
  }

  /** Several contacts' email and properties, by contact id. */
  async contactsWithProperties(
    db: Kysely<Database>,
    contactIds: readonly number[],
  ): Promise<Map<number, ContactWithProperties>> {
    const contacts = new Map<number, ContactWithProperties>();
    if (contactIds.length === 0) return contacts;
    const list = inParameter(this.#sqlite, 'contacts.id', contactIds);
    const found = await rows<{ id: number; email: string; name: string | null; value: string | null }>(
      db,
      this.#sqlite,
      `select contacts.id, contacts.email, contact_property_values.name, contact_property_values.value from contacts
       left join contact_property_values on contact_property_values.contact_id = contacts.id where ${list.text}`,
      [list.parameter],
    );
    for (const row of found) {
      let contact = contacts.get(row.id);
      if (!contact) contacts.set(row.id, (contact = { email: row.email, properties: {} }));
      if (row.name !== null) contact.properties[row.name] = row.value!;
    }
    return contacts;
  }
}
