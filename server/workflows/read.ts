import type { Kysely } from 'kysely';
import type { Delivery, DeliveryStatus, Enrolment, EnrolmentHistoryKind } from '../../lib/shared';
import type { Database } from '../storage/schema';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Enrolments with their history, newest first: of one contact, or of one workflow. */
export async function listEnrolments(
  db: Kysely<Database>,
  portalId: number,
  filter: { contactId?: number; workflowId?: number; limit: number },
): Promise<Enrolment[]> {
  const rows = await db
    .selectFrom('workflow_enrolments')
    .innerJoin('workflows', 'workflows.id', 'workflow_enrolments.workflow_id')
    .select([
      'workflow_enrolments.id',
      'workflow_enrolments.workflow_id',
      'workflows.name',
      'workflow_enrolments.contact_id',
      'workflow_enrolments.status',
      'workflow_enrolments.step_id',
      'workflow_enrolments.next_run_at',
      'workflow_enrolments.enrolled_at',
      'workflow_enrolments.finished_at',
    ])
    .where('workflow_enrolments.portal_id', '=', portalId)
    .$if(filter.contactId !== undefined, (query) =>
      query.where('workflow_enrolments.contact_id', '=', filter.contactId!),
    )
    .$if(filter.workflowId !== undefined, (query) =>
      query.where('workflow_enrolments.workflow_id', '=', filter.workflowId!),
    )
    .orderBy('workflow_enrolments.id', 'desc')
    .limit(filter.limit)
    .execute();
  if (rows.length === 0) return [];
  const history = await db
    .selectFrom('workflow_history')
    .selectAll()
    .where(
      'enrolment_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    workflowId: String(row.workflow_id),
    workflowName: row.name,
    contactId: String(row.contact_id),
    status: row.status as Enrolment['status'],
    stepId: row.step_id,
    nextRunAt: iso(row.next_run_at),
    enrolledAt: iso(row.enrolled_at)!,
    finishedAt: iso(row.finished_at),
    history: history
      .filter((entry) => entry.enrolment_id === row.id)
      .map((entry) => ({
        at: iso(entry.at)!,
        kind: entry.kind as EnrolmentHistoryKind,
        stepId: entry.step_id,
        detail: entry.detail,
      })),
  }));
}

/** One page of a workflow's delivery log, newest first. */
export async function listDeliveries(
  db: Kysely<Database>,
  portalId: number,
  workflowId: number,
  options: { status?: DeliveryStatus; limit: number; after?: number },
): Promise<{ results: Delivery[]; nextAfter?: string }> {
  const rows = await db
    .selectFrom('workflow_deliveries')
    .innerJoin('workflow_enrolments', 'workflow_enrolments.id', 'workflow_deliveries.enrolment_id')
    .selectAll('workflow_deliveries')
    .select('workflow_enrolments.contact_id')
    .where('workflow_deliveries.portal_id', '=', portalId)
    .where('workflow_deliveries.workflow_id', '=', workflowId)
    .$if(options.status !== undefined, (query) => query.where('workflow_deliveries.status', '=', options.status!))
    .$if(options.after !== undefined, (query) => query.where('workflow_deliveries.id', '<', options.after!))
    .orderBy('workflow_deliveries.id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  return {
    results: page.map((row) => ({
      id: String(row.id),
      workflowId: String(row.workflow_id),
      enrolmentId: String(row.enrolment_id),
      contactId: String(row.contact_id),
      stepId: row.step_id,
      url: row.url,
      idempotencyKey: row.idempotency_key,
      status: row.status as DeliveryStatus,
      attempts: row.attempts,
      responseStatus: row.response_status,
      latencyMs: row.latency_ms,
      error: row.error,
      nextAttemptAt: iso(row.next_attempt_at),
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
    })),
    nextAfter: rows.length > options.limit ? String(page[page.length - 1]!.id) : undefined,
  };
}
