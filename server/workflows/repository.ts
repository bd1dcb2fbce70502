import { sql, type Kysely } from 'kysely';
import {
  assignStepIds,
  type Workflow,
  type WorkflowCounts,
  type WorkflowStepInput,
  type WorkflowTrigger,
} from '../../lib/shared';
import type { Database } from '../storage/schema';
import type { Clock } from './clock';
import {
  checkReferences,
  newSecret,
  toRecord,
  toWorkflow,
  WorkflowNotFoundError,
  WorkflowReferenceError,
  WorkflowVersionConflictError,
  type WorkflowRecord,
} from './store';
import type { WebhookPolicy } from './url-policy';

export interface WorkflowChanges {
  name?: string;
  enabled?: boolean;
  reenrollment?: boolean;
  triggers?: WorkflowTrigger[];
  steps?: WorkflowStepInput[];
}

/** Workflows of one portal: create, read with counts, versioned update, delete. */
export class WorkflowRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly policy: WebhookPolicy,
    private readonly clock: Clock,
  ) {}

  async create(portalId: number, input: Required<WorkflowChanges>): Promise<Workflow> {
    const steps = assignStepIds(input.steps);
    const watched = await checkReferences(this.db, portalId, input.triggers, steps, this.policy);
    const now = new Date().toISOString();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('workflows')
        .values({
          portal_id: portalId,
          name: input.name,
          enabled: input.enabled ? 1 : 0,
          enabled_at: input.enabled ? Date.now() : null,
          reenrollment: input.reenrollment ? 1 : 0,
          triggers_json: JSON.stringify(input.triggers),
          steps_json: JSON.stringify(steps),
          secret: newSecret(),
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.enabled) await writeWatches(trx, row.id, watched);
      return row.id;
    });
    return (await this.get(portalId, id))!;
  }

  async record(portalId: number, id: number): Promise<WorkflowRecord | undefined> {
    const row = await this.db
      .selectFrom('workflows')
      .selectAll()
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async get(portalId: number, id: number): Promise<Workflow | undefined> {
    const record = await this.record(portalId, id);
    if (!record) return undefined;
    return toWorkflow(record, (await this.counts([id])).get(id) ?? emptyCounts());
  }

  async list(portalId: number): Promise<Workflow[]> {
    const rows = await this.db
      .selectFrom('workflows')
      .selectAll()
      .where('portal_id', '=', portalId)
      .orderBy('id')
      .execute();
    const counts = await this.counts(rows.map((row) => row.id));
    return rows.map((row) => toWorkflow(toRecord(row), counts.get(row.id) ?? emptyCounts()));
  }

  /**
   * Applies changes if the workflow is still at `expectedVersion` (when given). Turning it on
   * starts enrolment from now on; turning it off unenrols its active contacts (recorded in their
   * history), so nothing runs for a workflow that is off.
   */
  async update(portalId: number, id: number, changes: WorkflowChanges, expectedVersion?: number): Promise<Workflow> {
    const current = await this.record(portalId, id);
    if (!current) throw new WorkflowNotFoundError(`No workflow with the id ${id}.`);
    const triggers = changes.triggers ?? current.triggers;
    const steps = changes.steps ? assignStepIds(changes.steps) : current.steps;
    const enabled = changes.enabled ?? current.enabled;
    if (enabled && triggers.length === 0) {
      throw new WorkflowReferenceError([
        { message: 'a workflow needs a trigger before it is turned on', in: 'triggers', code: 'custom' },
      ]);
    }
    const watched = await checkReferences(this.db, portalId, triggers, steps, this.policy);
    await this.db.transaction().execute(async (trx) => {
      const turningOn = enabled && !current.enabled;
      const result = await trx
        .updateTable('workflows')
        .set({
          name: changes.name ?? current.name,
          enabled: enabled ? 1 : 0,
          enabled_at: turningOn ? Date.now() : enabled ? current.enabledAt : null,
          reenrollment: (changes.reenrollment ?? current.reenrollment) ? 1 : 0,
          triggers_json: JSON.stringify(triggers),
          steps_json: JSON.stringify(steps),
          version: sql<number>`version + 1`,
          updated_at: new Date().toISOString(),
        })
        .where('portal_id', '=', portalId)
        .where('id', '=', id)
        .$if(expectedVersion !== undefined, (query) => query.where('version', '=', expectedVersion!))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        const row = await trx.selectFrom('workflows').select('version').where('id', '=', id).executeTakeFirst();
        if (!row) throw new WorkflowNotFoundError(`No workflow with the id ${id}.`);
        throw new WorkflowVersionConflictError(row.version);
      }
      await trx.deleteFrom('workflow_watches').where('workflow_id', '=', id).execute();
      if (enabled) await writeWatches(trx, id, watched);
      else if (current.enabled) await unenrolAll(trx, id, this.clock.now());
    });
    return (await this.get(portalId, id))!;
  }

  async delete(portalId: number, id: number, expectedVersion?: number): Promise<void> {
    const result = await this.db
      .deleteFrom('workflows')
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .$if(expectedVersion !== undefined, (query) => query.where('version', '=', expectedVersion!))
      .executeTakeFirst();
    if (Number(result.numDeletedRows) > 0) return;
    const current = await this.record(portalId, id);
    if (!current) throw new WorkflowNotFoundError(`No workflow with the id ${id}.`);
    throw new WorkflowVersionConflictError(current.version);
  }

  /** Enrolled / active / finished enrolments and failed deliveries per workflow. */
  async counts(ids: number[]): Promise<Map<number, WorkflowCounts>> {
    const counts = new Map<number, WorkflowCounts>();
    if (ids.length === 0) return counts;
    const [enrolments, failed] = await Promise.all([
      this.db
        .selectFrom('workflow_enrolments')
        .select(['workflow_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
        .where('workflow_id', 'in', ids)
        .groupBy(['workflow_id', 'status'])
        .execute(),
      this.db
        .selectFrom('workflow_deliveries')
        .select(['workflow_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('workflow_id', 'in', ids)
        .where('status', '=', 'failed')
        .groupBy('workflow_id')
        .execute(),
    ]);
    for (const row of enrolments) {
      const entry = counts.get(row.workflow_id) ?? emptyCounts();
      counts.set(row.workflow_id, entry);
      const count = Number(row.count);
      entry.enrolled += count;
      if (row.status === 'active' || row.status === 'waiting') entry.active += count;
      if (row.status === 'finished') entry.finished += count;
    }
    for (const row of failed) {
      const entry = counts.get(row.workflow_id) ?? emptyCounts();
      counts.set(row.workflow_id, entry);
      entry.failedDeliveries = Number(row.count);
    }
    return counts;
  }
}

function emptyCounts(): WorkflowCounts {
  return { enrolled: 0, active: 0, finished: 0, failedDeliveries: 0 };
}

async function writeWatches(db: Kysely<Database>, workflowId: number, definitionIds: number[]): Promise<void> {
  if (definitionIds.length === 0) return;
  await db
    .insertInto('workflow_watches')
    .values(definitionIds.map((definitionId) => ({ workflow_id: workflowId, definition_id: definitionId })))
    .execute();
}

async function unenrolAll(db: Kysely<Database>, workflowId: number, now: number): Promise<void> {
  // History first (INSERT ... SELECT), then the status: two statements however many contacts.
  await db
    .insertInto('workflow_history')
    .columns(['enrolment_id', 'at', 'kind', 'step_id', 'detail'])
    .expression((eb) =>
      eb
        .selectFrom('workflow_enrolments')
        .select([
          'id',
          sql.lit(now).as('at'),
          sql.lit('unenrolled').as('kind'),
          'step_id',
          sql.lit('the workflow was turned off').as('detail'),
        ])
        .where('workflow_id', '=', workflowId)
        .where('status', 'in', ['active', 'waiting']),
    )
    .execute();
  await db
    .updateTable('workflow_enrolments')
    .set({ status: 'unenrolled', next_run_at: null, claim_token: null, wait_json: null, finished_at: now })
    .where('workflow_id', '=', workflowId)
    .where('status', 'in', ['active', 'waiting'])
    .execute();
}
