import { randomUUID } from 'node:crypto';
import { SqliteIntrospector, type Kysely, type SelectQueryBuilder } from 'kysely';
import {
  fullyQualifiedName,
  matchesFilter,
  matchesFilters,
  type PropertyFilter,
  type WebhookTestResult,
  type WorkflowStep,
} from '../../lib/shared';
import type { Database } from '../storage/schema';
import { systemClock, type Clock } from './clock';
import { postWebhook, type AttemptResult, type DeliveryLimits } from './deliver';
import { branchStartId, locateStep, nextStepId, waitedEventNames } from './steps';
import { toRecord, type WorkflowRecord } from './store';
import { HotStatements, type EnrolmentRow, type HistoryEntry } from './hot-statements';
import type { WebhookPolicy } from './url-policy';

export interface WorkflowEngineOptions {
  clock?: Clock;
  /** How often the engine looks for new completions and due steps; 0 = never on its own (tests call `tick`). */
  pollIntervalMs?: number;
  allowPrivateNetwork?: boolean;
  webhookTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  /** Delay before the second attempt; doubled for each further one. */
  retryBaseMs?: number;
  /** Webhook deliveries in flight at once per process. */
  deliveryConcurrency?: number;
  /**
   * The least time between two passes, and how long delivery results gather before they are
   * recorded: work that trickles in is done in a few larger transactions instead of many small
   * ones. Default: 200 ms on SQLite, whose every commit blocks the server's thread until the disk
   * has it and holds the writer lock that ingest needs; 0 on PostgreSQL, whose commits cost the
   * server only a round trip.
   */
  gatherMs?: number;
}

export const ENGINE_DEFAULTS = {
  pollIntervalMs: 200,
  webhookTimeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  maxAttempts: 5,
  retryBaseMs: 5_000,
  deliveryConcurrency: 32,
  gatherMs: { sqlite: 200, postgres: 0 },
} as const;

/** Where a delay-until-event step waits; `sinceWall` compares with completions' received_at. */
interface WaitState {
  stepId: string;
  eventName: string;
  filter?: PropertyFilter;
  /** Wall-clock ms when the wait began (completions carry wall-clock received_at). */
  sinceWall: number;
}

interface PendingDelivery {
  workflowId: number;
  enrolmentId: number;
  deliveryId: number;
  stepId: string;
  claimToken: string;
  url: string;
  body: string;
  secret: string;
  idempotencyKey: string;
}

interface QueuedResult {
  delivery: PendingDelivery;
  result: AttemptResult;
  resolve(): void;
  reject(error: unknown): void;
}

/** Outbox rows per transaction: each is an enrolment or a woken wait to run, so a small batch lets due timers (runDue) take turns with a burst of enrolments. */
const OUTBOX_BATCH = 100;
/** Outbox batches processed at once on PostgreSQL. */
const OUTBOX_PARALLEL = 3;
const DUE_BATCH = 500;
/**
 * Enrolments claimed per pass even while every sending slot is taken: a burst of webhooks must not
 * hold up timers that came due (their next step may not even be a webhook).
 */
const DUE_MIN_CLAIM = 10;
/** Enrolments claimed per transaction. */
const DUE_CLAIM = 50;
/** Delivery results recorded per transaction. */
const RESULT_BATCH = 200;
/** Steps one enrolment may run in one go (set-property chains); the rest continue next tick. */
const STEPS_PER_RUN = 50;

/**
 * Runs workflows from the database: reads the outbox that ingest writes (enrolment, met waits),
 * then runs due enrolments (steps, timers, webhook retries). All state is in the database, so a
 * restart resumes where the last process stopped.
 *
 * Claims: on PostgreSQL each claim is `SELECT ... FOR UPDATE SKIP LOCKED` in the transaction that
 * also records the step's effect, so several servers share the work and a step's database effect
 * happens once. On SQLite the claim transaction is `BEGIN IMMEDIATE` (the single-writer lock), so
 * two processes on one file serialise. A webhook is sent outside any transaction under a claim
 * token with a lease (the enrolment's `next_run_at`); if the process dies mid-delivery, another run
 * takes it after the lease and re-sends with the same idempotency key. We chose our own claims over
 * a job-queue library (pg-boss, graphile-worker) because those are PostgreSQL-only, and Clicktrail
 * must run the same way on its default embedded SQLite.
 */
export class WorkflowEngine {
  readonly clock: Clock;
  readonly policy: WebhookPolicy;
  readonly #db: Kysely<Database>;
  readonly #sqlite: boolean;
  readonly #hot: HotStatements;
  readonly #options: Required<Omit<WorkflowEngineOptions, 'clock' | 'allowPrivateNetwork'>>;
  readonly #limits: DeliveryLimits;
  readonly #inFlight = new Set<Promise<void>>();
  /** Enrolments whose webhook this process is sending: never re-claimed here when their lease runs out. */
  readonly #sending = new Set<number>();
  /** Deliveries waiting for a free sending slot. */
  readonly #slots: (() => void)[] = [];
  #sendingNow = 0;
  /** Dispatched deliveries whose request has not been answered yet (waiting for a slot or in flight). */
  #unsent = 0;
  /** Delivery results waiting to be recorded (see #flushResults). */
  readonly #results: QueuedResult[] = [];
  #flushingResults = false;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = true;
  /** Ends the current idle sleep early (a delivery freed a sending slot). */
  #wake: (() => void) | undefined;
  /** Ends the current sleep, idle or gathering (stop). */
  #endSleep: (() => void) | undefined;

  constructor(db: Kysely<Database>, options: WorkflowEngineOptions = {}) {
    this.#db = db;
    this.#sqlite = db.introspection instanceof SqliteIntrospector;
    this.#hot = new HotStatements(this.#sqlite);
    this.clock = options.clock ?? systemClock;
    this.policy = { allowPrivateNetwork: options.allowPrivateNetwork ?? false };
    this.#options = {
      pollIntervalMs: options.pollIntervalMs ?? ENGINE_DEFAULTS.pollIntervalMs,
      webhookTimeoutMs: options.webhookTimeoutMs ?? ENGINE_DEFAULTS.webhookTimeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? ENGINE_DEFAULTS.maxResponseBytes,
      maxAttempts: options.maxAttempts ?? ENGINE_DEFAULTS.maxAttempts,
      retryBaseMs: options.retryBaseMs ?? ENGINE_DEFAULTS.retryBaseMs,
      deliveryConcurrency: options.deliveryConcurrency ?? ENGINE_DEFAULTS.deliveryConcurrency,
      gatherMs: Math.min(
        options.gatherMs ?? ENGINE_DEFAULTS.gatherMs[this.#sqlite ? 'sqlite' : 'postgres'],
        options.pollIntervalMs ?? ENGINE_DEFAULTS.pollIntervalMs,
      ),
    };
    this.#limits = { timeoutMs: this.#options.webhookTimeoutMs, maxResponseBytes: this.#options.maxResponseBytes };
  }

  /** How long a claimed delivery is held before another run may take it over. */
  get leaseMs(): number {
    return this.#options.webhookTimeoutMs * 2 + 5_000;
  }

  /** Starts polling (no-op with pollIntervalMs 0). */
  start(): void {
    if (!this.#stopped || this.#options.pollIntervalMs <= 0) return;
    this.#stopped = false;
    void this.#loop();
  }

  /** Stops polling and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#endSleep?.();
    while (this.#running || this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight]);
      if (this.#running) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const started = Date.now();
      let worked = 0;
      try {
        this.#running = true;
        worked = await this.tick();
      } catch (error) {
        console.error('Workflow engine: a pass failed (it is retried):', error);
      } finally {
        this.#running = false;
      }
      if (this.#stopped) break;
      // Idle: sleep until the next poll or until a delivery frees a slot. Busy: go on, but no sooner
      // than gatherMs after this pass began, so what arrives meanwhile is taken in one transaction.
      if (worked === 0) await this.#sleep(this.#options.pollIntervalMs, true);
      if (this.#stopped) break;
      await this.#sleep(started + this.#options.gatherMs - Date.now(), false);
    }
  }

  #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#endSleep = resolve;
      if (wakeable) this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(this.#timer);
      this.#wake = undefined;
      this.#endSleep = undefined;
    });
  }

  /** One pass: the outbox, then due enrolments. Returns how much it did (0 when idle). */
  async tick(): Promise<number> {
    if (this.#sqlite) {
      // One writer: one batch at a time, then the due enrolments.
      const enrolled = await this.processOutbox();
      return enrolled + (await this.runDue());
    }
    // On PostgreSQL several outbox batches are taken at once (SKIP LOCKED gives each its own rows,
    // as it does across servers) beside the due enrolments: an enrolment costs a dozen round trips,
    // so a burst of them would otherwise leave timers and webhooks seconds behind.
    const done = await Promise.all([
      this.runDue(),
      ...Array.from({ length: OUTBOX_PARALLEL }, () => this.processOutbox()),
    ]);
    return done.reduce((sum, count) => sum + count, 0);
  }

  /** Ticks until nothing is due and no delivery is in flight (tests, with a manual clock). */
  async drain(): Promise<void> {
    for (;;) {
      const worked = await this.tick();
      if (this.#inFlight.size > 0) {
        await Promise.all([...this.#inFlight]);
        continue;
      }
      if (worked === 0) return;
    }
  }

  #forUpdate<O>(query: SelectQueryBuilder<Database, keyof Database, O>) {
    return this.#sqlite ? query : query.forUpdate().skipLocked();
  }

  // --- Enrolment ----------------------------------------------------------------------------------

  /**
   * Decides enrolment and met waits for one batch of outbox rows, and runs the first steps of
   * what it enrolled or woke in the same transaction; returns the rows consumed.
   */
  async processOutbox(): Promise<number> {
    // Looked at outside a transaction first: an idle pass takes no lock and commits nothing.
    if (!(await this.#db.selectFrom('workflow_outbox').select('id').limit(1).executeTakeFirst())) return 0;
    const deliveries: PendingDelivery[] = [];
    const consumed = await this.#db.transaction().execute(async (trx) => {
      deliveries.length = 0;
      const claimed = await this.#forUpdate(
        trx.selectFrom('workflow_outbox').select(['id', 'completion_id']).orderBy('id').limit(OUTBOX_BATCH),
      ).execute();
      if (claimed.length === 0) return 0;
      await trx
        .deleteFrom('workflow_outbox')
        .where('id', 'in', inList(claimed.map((row) => row.id)))
        .execute();
      const completions = await trx
        .selectFrom('completions')
        .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
        .select([
          'completions.id',
          'completions.portal_id',
          'completions.object_type',
          'completions.object_id',
          'completions.received_at',
          'completions.occurred_at',
          'completions.properties_json',
          'event_definitions.name',
        ])
        .where('completions.id', 'in', inList(claimed.map((row) => row.completion_id)))
        .where('completions.object_type', '=', 'CONTACT') // workflows enrol contacts only
        .orderBy('completions.id')
        .execute();
      const portals = [...new Set(completions.map((row) => row.portal_id))];
      const workflows =
        portals.length === 0
          ? []
          : (
              await trx
                .selectFrom('workflows')
                .selectAll()
                .where('enabled', '=', 1)
                .where('portal_id', 'in', inList(portals))
                .orderBy('id')
                .execute()
            ).map(toRecord);
      const known: PassContext = { workflows: new WorkflowsById(workflows), completions: new Map() };
      for (const completion of completions) known.completions.set(completion.id, completion);
      // Workflows by the event that triggers them, and the events enabled workflows wait for.
      const byTrigger = new Map<string, WorkflowRecord[]>();
      const waited = new Set<string>();
      for (const workflow of workflows) {
        for (const name of new Set(workflow.triggers.map((trigger) => trigger.eventName))) {
          const key = `${workflow.portalId}:${name}`;
          byTrigger.set(key, [...(byTrigger.get(key) ?? []), workflow]);
        }
        for (const name of waitedEventNames(workflow.steps)) waited.add(`${workflow.portalId}:${name}`);
      }
      const waits = await this.#loadWaits(
        trx,
        completions.filter((row) => waited.has(`${row.portal_id}:${row.name}`)),
      );
      const now = this.clock.now();
      for (const completion of completions) {
        const contactId = Number(completion.object_id);
        const properties = JSON.parse(completion.properties_json) as Record<string, string | number>;
        const receivedAt = Number(completion.received_at);
        for (const row of waits.get(`${completion.portal_id}:${contactId}`) ?? []) {
          if (row.status !== 'waiting') continue;
          const wait = JSON.parse(row.wait_json ?? 'null') as WaitState | null;
          if (!wait || wait.eventName !== completion.name || receivedAt < wait.sinceWall) continue;
          if (wait.filter && !matchesFilter(properties, wait.filter)) continue;
          row.status = 'active';
          const steps = JSON.parse(row.steps_json) as WorkflowStep[];
          const woken = {
            ...row,
            status: 'active',
            step_id: branchStartId(steps, wait.stepId, 'met'),
            wait_json: null,
          };
          const delivery = await this.#advance(trx, woken, now, known, [
            { kind: 'met', stepId: wait.stepId, detail: `${completion.name} occurred` },
          ]);
          if (delivery) deliveries.push(delivery);
        }
        for (const workflow of byTrigger.get(`${completion.portal_id}:${completion.name}`) ?? []) {
          // Turned on after this completion arrived: it only enrols for later ones.
          if (workflow.enabledAt === null || receivedAt < workflow.enabledAt) continue;
          const matched = workflow.triggers.some(
            (trigger) => trigger.eventName === completion.name && matchesFilters(properties, trigger.filters),
          );
          if (!matched) continue;
          const enrolment = await this.#enrol(trx, workflow, contactId, completion.id, completion.name, now);
          const delivery =
            enrolment && (await this.#advance(trx, enrolment.row, now, { ...known, fresh: true }, enrolment.history));
          if (delivery) deliveries.push(delivery);
        }
      }
      return claimed.length;
    });
    for (const delivery of deliveries) this.#dispatch(delivery);
    return consumed;
  }

  /** Waiting enrolments of the contacts of these completions, by `portal:contact`. */
  async #loadWaits(
    db: Kysely<Database>,
    completions: readonly { portal_id: number; object_id: string }[],
  ): Promise<Map<string, (EnrolmentRow & { steps_json: string })[]>> {
    const waits = new Map<string, (EnrolmentRow & { steps_json: string })[]>();
    for (const portalId of new Set(completions.map((row) => row.portal_id))) {
      const contacts = [
        ...new Set(completions.filter((row) => row.portal_id === portalId).map((row) => Number(row.object_id))),
      ];
      const rows = await db
        .selectFrom('workflow_enrolments')
        .innerJoin('workflows', 'workflows.id', 'workflow_enrolments.workflow_id')
        .selectAll('workflow_enrolments')
        .select('workflows.steps_json')
        .where('workflow_enrolments.portal_id', '=', portalId)
        .where('workflow_enrolments.contact_id', 'in', inList(contacts))
        .where('workflow_enrolments.status', '=', 'waiting')
        .orderBy('workflow_enrolments.id')
        // Blocking (not SKIP LOCKED): a wait being timed out elsewhere must not be skipped; once
        // that commits, PostgreSQL re-checks the status and leaves the row out.
        .$if(!this.#sqlite, (query) => query.forUpdate('workflow_enrolments'))
        .execute();
      for (const row of rows) {
        const key = `${portalId}:${row.contact_id}`;
        waits.set(key, [...(waits.get(key) ?? []), normalise(row)]);
      }
    }
    return waits;
  }

  /**
   * Inserts an enrolment (unless enrol-once refuses it). When it has steps to run, returns it with
   * its first history entry, which the caller records with those of its first steps.
   */
  async #enrol(
    db: Kysely<Database>,
    workflow: WorkflowRecord,
    contactId: number,
    completionId: number,
    eventName: string,
    now: number,
  ): Promise<{ row: EnrolmentRow; history: HistoryEntry[] } | undefined> {
    const first = workflow.steps[0]?.id ?? null;
    const values = {
      portal_id: workflow.portalId,
      workflow_id: workflow.id,
      contact_id: contactId,
      once_key: workflow.reenrollment ? null : contactId,
      completion_id: completionId,
      status: first ? 'active' : 'finished',
      step_id: first,
      next_run_at: first ? now : null,
      claim_token: null,
      wait_json: null,
      enrolled_at: now,
      finished_at: first ? null : now,
    };
    const id = await this.#hot.insertEnrolment(db, values);
    if (id === undefined) return undefined;
    const history: HistoryEntry[] = [
      { kind: 'enrolled', stepId: null, detail: `${eventName} (completion ${completionId})` },
    ];
    if (first) return { row: { ...values, id }, history };
    history.push({ kind: 'finished', stepId: null, detail: 'the workflow has no steps' });
    await this.#hot.addHistory(db, id, now, history);
    return undefined;
  }

  // --- Steps --------------------------------------------------------------------------------------

  /**
   * Runs due enrolments: a batch claimed in one transaction; if that transaction fails, the batch
   * is run again one enrolment per transaction, so one bad enrolment cannot hold up the others.
   */
  async runDue(): Promise<number> {
    let ran = 0;
    let size = DUE_CLAIM;
    // Claims no more than can be sent now: a delivery counts until its request is answered (its
    // result is then only waiting to be recorded, see #flushResults).
    while (ran < DUE_BATCH && (this.#unsent < this.#options.deliveryConcurrency || ran < DUE_MIN_CLAIM)) {
      const room = Math.min(size, Math.max(this.#options.deliveryConcurrency - this.#unsent, DUE_MIN_CLAIM - ran));
      if (!(await this.#anythingDue())) break;
      const deliveries: PendingDelivery[] = [];
      let claimed: number;
      try {
        claimed = await this.#db.transaction().execute(async (trx) => {
          deliveries.length = 0;
          const now = this.clock.now();
          const rows = await this.#forUpdate(
            trx
              .selectFrom('workflow_enrolments')
              .selectAll()
              .where('next_run_at', '<=', now)
              .$if(this.#sending.size > 0, (query) => query.where('id', 'not in', inList([...this.#sending])))
              .orderBy('next_run_at')
              .limit(room),
          ).execute();
          const known: PassContext = { workflows: new WorkflowsById(), completions: new Map() };
          await known.workflows.load(
            trx,
            rows.map((row) => row.workflow_id),
          );
          for (const row of rows) {
            const delivery = await this.#advance(trx, normalise(row), now, known);
            if (delivery) deliveries.push(delivery);
          }
          return rows.length;
        });
      } catch (error) {
        if (size === 1) throw error;
        size = 1;
        continue;
      }
      for (const delivery of deliveries) this.#dispatch(delivery);
      if (claimed === 0) break;
      ran += claimed;
    }
    return ran;
  }

  /** Whether some enrolment not being sent here is due (outside a transaction: no lock taken). */
  async #anythingDue(): Promise<boolean> {
    // Enough rows that one not being sent here is among them if there is one; a fixed SQL text
    // (a NOT IN list would be a new statement to prepare for every size of the set).
    const due = await this.#db
      .selectFrom('workflow_enrolments')
      .select('id')
      .where('next_run_at', '<=', this.clock.now())
      .orderBy('next_run_at')
      .limit(this.#sending.size + 1)
      .execute();
    return due.some((row) => !this.#sending.has(row.id));
  }

  /** Runs an enrolment's steps until it waits, delays, sends a webhook or finishes. */
  async #advance(
    db: Kysely<Database>,
    row: EnrolmentRow,
    now: number,
    known: PassContext,
    /** Entries recorded with this run's (what led to it). */
    history: HistoryEntry[] = [],
  ): Promise<PendingDelivery | undefined> {
    const workflow = await known.workflows.get(db, row.workflow_id);
    const update = (values: Partial<EnrolmentRow>) => this.#hot.updateEnrolment(db, { ...row, ...values });
    const finish = async (status: 'finished' | 'unenrolled', detail: string | null) => {
      history.push({ kind: status, stepId: null, detail });
      await update({ status, step_id: null, next_run_at: null, claim_token: null, wait_json: null, finished_at: now });
    };
    try {
      if (!workflow?.enabled) return void (await finish('unenrolled', 'the workflow was turned off'));
      const steps = workflow.steps;
      let stepId = row.step_id;
      if (row.status === 'waiting') {
        // The maximum wait passed without the event: the "not met" branch.
        const wait = JSON.parse(row.wait_json ?? 'null') as WaitState | null;
        const waitStep = wait?.stepId ?? row.step_id ?? '';
        history.push({ kind: 'notMet', stepId: waitStep, detail: 'the maximum wait passed' });
        stepId = branchStartId(steps, waitStep, 'notMet');
      }
      for (let count = 0; count < STEPS_PER_RUN; count++) {
        if (stepId === null) return void (await finish('finished', null));
        const step = locateStep(steps, stepId)?.step;
        if (!step) return void (await finish('finished', `step ${stepId} was removed from the workflow`));
        switch (step.type) {
          case 'setContactProperty': {
            await db
              .insertInto('contact_property_values')
              .values({ contact_id: row.contact_id, name: step.property, value: step.value, updated_at: now })
              .onConflict((conflict) =>
                conflict.columns(['contact_id', 'name']).doUpdateSet({ value: step.value, updated_at: now }),
              )
              .execute();
            history.push({ kind: 'step', stepId: step.id, detail: `set ${step.property} to "${step.value}"` });
            stepId = nextStepId(steps, step.id);
            continue;
          }
          case 'delay': {
            const due = now + step.seconds * 1000;
            history.push({ kind: 'delayed', stepId: step.id, detail: `until ${new Date(due).toISOString()}` });
            await update({ status: 'active', step_id: nextStepId(steps, step.id), next_run_at: due, wait_json: null });
            return;
          }
          case 'delayUntilEvent': {
            const wait: WaitState = {
              stepId: step.id,
              eventName: step.eventName,
              ...(step.filter ? { filter: step.filter } : {}),
              sinceWall: Date.now(),
            };
            const deadline = step.maxWaitSeconds === null ? null : now + step.maxWaitSeconds * 1000;
            history.push({
              kind: 'waiting',
              stepId: step.id,
              detail: `for ${step.eventName}${deadline === null ? ' as long as possible' : ` until ${new Date(deadline).toISOString()}`}`,
            });
            await update({
              status: 'waiting',
              step_id: step.id,
              next_run_at: deadline,
              wait_json: JSON.stringify(wait),
            });
            return;
          }
          case 'webhook': {
            const claimToken = randomUUID();
            const delivery = await this.#prepareDelivery(db, workflow, row, step.id, step.url, now, known);
            await update({
              status: 'active',
              step_id: step.id,
              next_run_at: now + this.leaseMs,
              claim_token: claimToken,
            });
            return { ...delivery, claimToken };
          }
        }
      }
      // A long chain of instant steps: continue in the next run.
      await update({ status: 'active', step_id: stepId, next_run_at: now });
    } finally {
      await this.#hot.addHistory(db, row.id, now, history);
    }
  }

  /** The delivery of this enrolment's webhook step, created on the first attempt with its idempotency key. */
  async #prepareDelivery(
    db: Kysely<Database>,
    workflow: WorkflowRecord,
    row: EnrolmentRow,
    stepId: string,
    url: string,
    now: number,
    known: PassContext,
  ): Promise<Omit<PendingDelivery, 'claimToken'>> {
    // An enrolment inserted in this transaction has no delivery yet; any other may (a run that
    // stopped after preparing it): that one is sent again, with its idempotency key.
    const existing = known.fresh
      ? undefined
      : await db
          .selectFrom('workflow_deliveries')
          .selectAll()
          .where('enrolment_id', '=', row.id)
          .where('step_id', '=', stepId)
          .executeTakeFirst();
    if (existing) {
      await db
        .updateTable('workflow_deliveries')
        .set({ attempts: existing.attempts + 1, status: 'pending', next_attempt_at: null, updated_at: now })
        .where('id', '=', existing.id)
        .execute();
      return {
        workflowId: row.workflow_id,
        enrolmentId: row.id,
        deliveryId: existing.id,
        stepId,
        url: existing.url,
        body: existing.payload_json,
        secret: workflow.secret,
        idempotencyKey: existing.idempotency_key,
      };
    }
    const idempotencyKey = randomUUID();
    const body = JSON.stringify(
      await buildPayload(
        this.#hot,
        db,
        workflow,
        row,
        stepId,
        idempotencyKey,
        known.completions.get(row.completion_id),
      ),
    );
    const deliveryId = await this.#hot.insertDelivery(db, {
      portal_id: row.portal_id,
      workflow_id: row.workflow_id,
      enrolment_id: row.id,
      step_id: stepId,
      url,
      idempotency_key: idempotencyKey,
      payload_json: body,
      now,
    });
    return {
      workflowId: row.workflow_id,
      enrolmentId: row.id,
      deliveryId,
      stepId,
      url,
      body,
      secret: workflow.secret,
      idempotencyKey,
    };
  }

  #dispatch(delivery: PendingDelivery): void {
    this.#unsent++;
    this.#sending.add(delivery.enrolmentId);
    const task = this.#deliver(delivery).catch((error: unknown) =>
      console.error(
        `Workflow engine: delivery ${delivery.deliveryId} could not be recorded (retried after its lease):`,
        error,
      ),
    );
    this.#inFlight.add(task);
    void task.finally(() => {
      this.#inFlight.delete(task);
      this.#sending.delete(delivery.enrolmentId);
      // The next step may be due at once (a webhook followed by more steps).
      this.#wake?.();
    });
  }

  async #deliver(delivery: PendingDelivery): Promise<void> {
    // At most deliveryConcurrency requests at once; the others wait their turn in order.
    if (this.#sendingNow >= this.#options.deliveryConcurrency) {
      await new Promise<void>((resolve) => this.#slots.push(resolve));
    }
    this.#sendingNow++;
    const result = await postWebhook(
      {
        url: delivery.url,
        body: delivery.body,
        secret: delivery.secret,
        idempotencyKey: delivery.idempotencyKey,
        deliveryId: String(delivery.deliveryId),
      },
      this.policy,
      this.#limits,
    ).finally(() => {
      this.#sendingNow--;
      this.#unsent--;
      this.#slots.shift()?.();
      // A slot for the next due enrolments.
      this.#wake?.();
    });
    // Recorded with the other results that arrive meanwhile: one commit for many deliveries.
    await new Promise<void>((resolve, reject) => {
      this.#results.push({ delivery, result, resolve, reject });
      this.#flushResults();
    });
  }

  /**
   * Records the queued delivery results in one transaction (the next batch starts when this one
   * has committed), so a burst of webhooks costs a few commits instead of one each; on SQLite every
   * commit waits for the disk and holds the single writer lock that ingest needs. If the batch
   * fails, each result is recorded on its own, so one bad record cannot hold up the others. A crash
   * before a result is recorded only means the delivery is sent again after its lease, with the
   * same idempotency key.
   */
  #flushResults(): void {
    if (this.#flushingResults || this.#results.length === 0) return;
    this.#flushingResults = true;
    const record = () => void this.#recordBatch();
    if (this.#options.gatherMs > 0) setTimeout(record, this.#options.gatherMs);
    else setImmediate(record);
  }

  async #recordBatch(): Promise<void> {
    const batch = this.#results.splice(0, RESULT_BATCH);
    const record = async (trx: Kysely<Database>, item: QueuedResult, known = new WorkflowsById()) =>
      this.#record(trx, item.delivery, item.result, { workflows: known, completions: new Map() });
    try {
      const following = await this.#db.transaction().execute(async (trx) => {
        const known = new WorkflowsById();
        await known.load(
          trx,
          batch.map((item) => item.delivery.workflowId),
        );
        const next: PendingDelivery[] = [];
        for (const item of batch) {
          const delivery = await record(trx, item, known);
          if (delivery) next.push(delivery);
        }
        return next;
      });
      for (const delivery of following) this.#dispatch(delivery);
      for (const item of batch) item.resolve();
    } catch {
      for (const item of batch) {
        try {
          const delivery = await this.#db.transaction().execute((trx) => record(trx, item));
          if (delivery) this.#dispatch(delivery);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.#flushingResults = false;
      this.#flushResults();
    }
  }

  /** Records one attempt's result and, when it holds the claim, moves the enrolment on (returning its next delivery). */
  async #record(
    trx: Kysely<Database>,
    delivery: PendingDelivery,
    result: AttemptResult,
    known: PassContext,
  ): Promise<PendingDelivery | undefined> {
    const now = this.clock.now();
    const attempts = (await this.#hot.deliveryAttempts(trx, delivery.deliveryId)) ?? 1;
    const retry = !result.ok && result.retryable && attempts < this.#options.maxAttempts;
    const nextAttemptAt = retry ? now + this.#options.retryBaseMs * 2 ** (attempts - 1) : null;
    await this.#hot.recordAttempt(trx, delivery.deliveryId, {
      status: result.ok ? 'succeeded' : retry ? 'retrying' : 'failed',
      response_status: result.status,
      latency_ms: result.latencyMs,
      error: result.ok ? null : retry ? result.error : describeFailure(result, attempts),
      next_attempt_at: nextAttemptAt,
      now,
    });
    // Only the run holding the claim moves the enrolment on; a run whose lease expired (and
    // was taken over) just records its attempt.
    const workflow = await known.workflows.get(trx, delivery.workflowId);
    const next = nextStepId(workflow?.steps ?? [], delivery.stepId);
    const moved = await this.#hot.releaseClaim(
      trx,
      delivery.enrolmentId,
      delivery.claimToken,
      delivery.stepId,
      retry ? { next_run_at: nextAttemptAt, step_id: delivery.stepId } : { next_run_at: now, step_id: next },
    );
    if (!moved) return undefined;
    const history: HistoryEntry[] = [
      result.ok
        ? {
            kind: 'step',
            stepId: delivery.stepId,
            detail: `webhook answered ${result.status} in ${result.latencyMs} ms`,
          }
        : retry
          ? {
              kind: 'step',
              stepId: delivery.stepId,
              detail: `webhook attempt ${attempts} failed (${result.error}); next attempt at ${new Date(nextAttemptAt!).toISOString()}`,
            }
          : { kind: 'deliveryFailed', stepId: delivery.stepId, detail: describeFailure(result, attempts) },
    ];
    if (retry) return void (await this.#hot.addHistory(trx, delivery.enrolmentId, now, history));
    // Go on with the following steps at once, in this transaction.
    return this.#advance(trx, normalise(moved), now, known, history);
  }

  // --- Manual delivery actions --------------------------------------------------------------------

  /** Sends a failed delivery once more (same payload and idempotency key) and records the attempt. */
  async retryDelivery(portalId: number, deliveryId: number): Promise<'not_found' | 'not_failed' | 'done'> {
    const row = await this.#db
      .selectFrom('workflow_deliveries')
      .innerJoin('workflows', 'workflows.id', 'workflow_deliveries.workflow_id')
      .select([
        'workflow_deliveries.id',
        'workflow_deliveries.url',
        'workflow_deliveries.payload_json',
        'workflow_deliveries.idempotency_key',
        'workflow_deliveries.status',
        'workflows.secret',
      ])
      .where('workflow_deliveries.portal_id', '=', portalId)
      .where('workflow_deliveries.id', '=', deliveryId)
      .executeTakeFirst();
    if (!row) return 'not_found';
    if (row.status !== 'failed') return 'not_failed';
    const claimed = await this.#db
      .updateTable('workflow_deliveries')
      .set((eb) => ({ status: 'pending', attempts: eb('attempts', '+', 1), updated_at: this.clock.now() }))
      .where('id', '=', deliveryId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return 'not_failed';
    const result = await postWebhook(
      {
        url: row.url,
        body: row.payload_json,
        secret: row.secret,
        idempotencyKey: row.idempotency_key,
        deliveryId: String(row.id),
      },
      this.policy,
      this.#limits,
    );
    await this.#db
      .updateTable('workflow_deliveries')
      .set({
        status: result.ok ? 'succeeded' : 'failed',
        response_status: result.status,
        latency_ms: result.latencyMs,
        error: result.error,
        updated_at: this.clock.now(),
      })
      .where('id', '=', deliveryId)
      .execute();
    return 'done';
  }

  /** One attempt with a sample payload (marked `test: true`), not logged. */
  async testWebhook(workflow: WorkflowRecord, stepId: string, url: string): Promise<WebhookTestResult> {
    const key = `test-${randomUUID()}`;
    const now = new Date().toISOString();
    const body = JSON.stringify({
      test: true,
      idempotencyKey: key,
      workflow: { id: String(workflow.id), name: workflow.name },
      step: { id: stepId },
      enrolment: { id: '0' },
      contact: { id: '0', email: 'sample@example.com', properties: {} },
      completion: {
        id: '0',
        eventName: fullyQualifiedName(workflow.portalId, workflow.triggers[0]?.eventName ?? 'sample_event'),
        occurredAt: now,
        properties: {},
      },
      sentAt: now,
    });
    const result = await postWebhook(
      { url, body, secret: workflow.secret, idempotencyKey: key, deliveryId: 'test' },
      this.policy,
      this.#limits,
    );
    return {
      stepId,
      url,
      ok: result.ok,
      responseStatus: result.status,
      latencyMs: result.latencyMs,
      responseBody: result.responseBody,
      error: result.error,
    };
  }
}

/** What one transaction already read, so steps run in it need not read it again. */
interface PassContext {
  workflows: WorkflowsById;
  /** Completions by id (the outbox's), for webhook payloads. */
  completions: Map<number, PayloadCompletion>;
  /** The enrolment was inserted in this transaction (it has no delivery yet). */
  fresh?: boolean;
}

/**
 * Workflows read in one transaction, by id: loaded together for a batch instead of once per step.
 * Parsed triggers and steps are shared across transactions by version (a version never changes).
 */
class WorkflowsById {
  readonly #byId = new Map<number, WorkflowRecord | undefined>();

  constructor(records: readonly WorkflowRecord[] = []) {
    for (const record of records) this.#byId.set(record.id, record);
  }

  async load(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.#byId.has(id));
    if (missing.length === 0) return;
    const rows = await db.selectFrom('workflows').selectAll().where('id', 'in', inList(missing)).execute();
    for (const id of missing) this.#byId.set(id, undefined);
    for (const row of rows) this.#byId.set(row.id, toRecord(row));
  }

  /** The workflow, or undefined once it was deleted. */
  async get(db: Kysely<Database>, id: number): Promise<WorkflowRecord | undefined> {
    await this.load(db, [id]);
    return this.#byId.get(id);
  }
}

/**
 * The values of an IN list, padded to a power of two by repeating the last one: the statement's
 * text then takes one of a few lengths, and its prepared statement is reused instead of SQLite
 * compiling a new one for every list size (measured: a tenth of the engine's time per enrolment).
 */
function inList<T>(values: readonly T[]): T[] {
  const padded = [...values];
  let size = 1;
  while (size < padded.length) size *= 2;
  while (padded.length < size && padded.length > 0) padded.push(padded.at(-1)!);
  return padded;
}

function describeFailure(result: AttemptResult, attempts: number): string {
  const gaveUp = result.retryable ? ` (gave up after ${attempts} attempts)` : '';
  return `${result.error}${gaveUp}`;
}

function normalise<T extends EnrolmentRow>(row: T): T {
  // PostgreSQL returns bigint columns as numbers (see database.ts), SQLite as numbers: keep both.
  return { ...row, next_run_at: row.next_run_at === null ? null : Number(row.next_run_at) };
}

/** The part of a completion a webhook payload carries. */
interface PayloadCompletion {
  id: number;
  name: string;
  occurred_at: number | string;
  properties_json: string;
}

/**
 * The webhook's JSON body: contact, triggering completion, workflow and step ids. The completion
 * is read unless the caller already has it (the outbox pass read it to enrol the contact).
 */
async function buildPayload(
  hot: HotStatements,
  db: Kysely<Database>,
  workflow: WorkflowRecord,
  row: EnrolmentRow,
  stepId: string,
  idempotencyKey: string,
  knownCompletion: PayloadCompletion | undefined,
) {
  const [contact, completion] = await Promise.all([
    // The contact with its properties, one row per property (one row of nulls when it has none).
    hot.contactWithProperties(db, row.contact_id),
    knownCompletion ??
      db
        .selectFrom('completions')
        .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
        .select(['completions.id', 'event_definitions.name', 'completions.occurred_at', 'completions.properties_json'])
        .where('completions.id', '=', row.completion_id)
        .executeTakeFirst(),
  ]);
  const properties: Record<string, string> = {};
  for (const property of contact) if (property.name !== null) properties[property.name] = property.value!;
  return {
    idempotencyKey,
    workflow: { id: String(workflow.id), name: workflow.name },
    step: { id: stepId },
    enrolment: { id: String(row.id) },
    contact: { id: String(row.contact_id), email: contact[0]?.email ?? null, properties },
    completion: completion
      ? {
          id: String(completion.id),
          eventName: fullyQualifiedName(workflow.portalId, completion.name),
          occurredAt: new Date(Number(completion.occurred_at)).toISOString(),
          properties: JSON.parse(completion.properties_json) as Record<string, string | number>,
        }
      : null,
  };
}
