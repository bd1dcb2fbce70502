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

/** The engine's per-enrolment statements on one database (SQLite or PostgreSQL). */
export class HotStatements {
  readonly #sqlite: boolean;

  constructor(sqlite: boolean) {
    this.#sqlite = sqlite;
  }

  /** Inserts an enrolment; undefined when enrol-once refused it (the unique workflow/once_key index). */
  async insertEnrolment(db: Kysely<Database>, row: Omit<EnrolmentRow, 'id'>): Promise<number | undefined> {
    const inserted = await rows<{ id: number }>(
      db,
      this.#sqlite,
      `insert into workflow_enrolments (portal_id, workflow_id, contact_id, once_key, completion_id, status, step_id,
         next_run_at, claim_token, wait_json, enrolled_at, finished_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (workflow_id, once_key) do nothing returning id`,
      [
        row.portal_id,
        row.workflow_id,
        row.contact_id,
        row.once_key,
        row.completion_id,
        row.status,
        row.step_id,
        row.next_run_at,
        row.claim_token,
        row.wait_json,
        row.enrolled_at,
        row.finished_at,
      ],
    );
    return inserted[0]?.id;
  }

  /** Writes the enrolment's state columns as `row` has them. */
  async updateEnrolment(db: Kysely<Database>, row: EnrolmentRow): Promise<void> {
    await rows(
      db,
      this.#sqlite,
      `update workflow_enrolments set status = ?, step_id = ?, next_run_at = ?, claim_token = ?, wait_json = ?,
         finished_at = ? where id = ?`,
      [row.status, row.step_id, row.next_run_at, row.claim_token, row.wait_json, row.finished_at, row.id],
    );
  }

  /**
   * Moves an enrolment on after a delivery attempt, only if this run still holds its claim on that
   * step; returns the enrolment as it now is, or undefined when another run took it over.
   */
  async releaseClaim(
    db: Kysely<Database>,
    enrolmentId: number,
    claimToken: string,
    stepId: string,
    next: { next_run_at: number | null; step_id: string | null },
  ): Promise<EnrolmentRow | undefined> {
    const moved = await rows<EnrolmentRow>(
      db,
      this.#sqlite,
      `update workflow_enrolments set next_run_at = ?, claim_token = null, step_id = ?
       where id = ? and claim_token = ? and step_id = ? returning *`,
      [next.next_run_at, next.step_id, enrolmentId, claimToken, stepId],
    );
    return moved[0];
  }

  async addHistory(
    db: Kysely<Database>,
    enrolmentId: number,
    at: number,
    entries: readonly HistoryEntry[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const values = entries.map(() => '(?, ?, ?, ?, ?)').join(', ');
    await rows(
      db,
      this.#sqlite,
      `insert into workflow_history (enrolment_id, at, kind, step_id, detail) values ${values}`,
      entries.flatMap((entry) => [enrolmentId, at, entry.kind, entry.stepId, entry.detail]),
    );
  }

  async insertDelivery(db: Kysely<Database>, delivery: NewDelivery): Promise<number> {
    const inserted = await rows<{ id: number }>(
      db,
      this.#sqlite,
      `insert into workflow_deliveries (portal_id, workflow_id, enrolment_id, step_id, url, idempotency_key,
         payload_json, status, attempts, response_status, latency_ms, error, next_attempt_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, 'pending', 1, null, null, null, null, ?, ?) returning id`,
      [
        delivery.portal_id,
        delivery.workflow_id,
        delivery.enrolment_id,
        delivery.step_id,
        delivery.url,
        delivery.idempotency_key,
        delivery.payload_json,
        delivery.now,
        delivery.now,
      ],
    );
    return inserted[0]!.id;
  }

  async deliveryAttempts(db: Kysely<Database>, deliveryId: number): Promise<number | undefined> {
    const found = await rows<{ attempts: number }>(
      db,
      this.#sqlite,
      'select attempts from workflow_deliveries where id = ?',
      [deliveryId],
    );
    return found[0]?.attempts;
  }

  async recordAttempt(db: Kysely<Database>, deliveryId: number, outcome: DeliveryOutcome): Promise<void> {
    await rows(
      db,
      this.#sqlite,
      `update workflow_deliveries set status = ?, response_status = ?, latency_ms = ?, error = ?, next_attempt_at = ?,
         updated_at = ? where id = ?`,
      [
        outcome.status,
        outcome.response_status,
        outcome.latency_ms,
        outcome.error,
        outcome.next_attempt_at,
        outcome.now,
        deliveryId,
      ],
    );
  }

  /** The contact's email and properties, one row per property (one row of nulls when it has none). */
  async contactWithProperties(
    db: Kysely<Database>,
    contactId: number,
  ): Promise<{ email: string; name: string | null; value: string | null }[]> {
    return rows(
      db,
      this.#sqlite,
      `select contacts.email, contact_property_values.name, contact_property_values.value from contacts
       left join contact_property_values on contact_property_values.contact_id = contacts.id where contacts.id = ?`,
      [contactId],
    );
  }
}
