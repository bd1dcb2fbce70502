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
import {
  HotStatements,
  type ContactWithProperties,
  type DeliveryRow,
  type EnrolmentRow,
  type HistoryEntry,
  type HistoryRow,
  type NewDelivery,
  type NewEnrolment,
} from './hot-statements';
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
    while (this.#running) await new Promise((resolve) => setTimeout(resolve, 10));
    // Results left for a pass that will not come are recorded on their own (see #sqlitePass).
    this.#flushResults();
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
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
    if (this.#sqlite) return this.#sqlitePass();
    // On PostgreSQL several outbox batches are taken at once (SKIP LOCKED gives each its own rows,
    // as it does across servers) beside the due enrolments: an enrolment costs a dozen round trips,
    // so a burst of them would otherwise leave timers and webhooks seconds behind.
    const done = await Promise.all([
      this.runDue(),
      ...Array.from({ length: OUTBOX_PARALLEL }, () => this.processOutbox()),
    ]);
    return done.reduce((sum, count) => sum + count, 0);
  }

  /**
   * A pass on SQLite: the delivery results gathered since the last pass, an outbox batch and a claim
   * of due enrolments in one transaction. Every SQLite commit waits for the disk (synchronous=FULL)
   * on the server's only thread and holds the writer lock ingest needs: measured here, 3-6 ms of
   * blocked thread and 0.3 ms of CPU each, so three commits per pass instead of one cost ingest
   * more than the engine's own work did. If the transaction fails, each part is run again in
   * transactions of its own, so one bad row cannot hold up the rest.
   */
  async #sqlitePass(): Promise<number> {
    // While the engine runs on its own, results wait for the next pass (#flushResults); stopped
    // (tests' manual ticks, shutting down) they are recorded on their own.
    const results = this.#stopped ? [] : this.#takeResults();
    const outbox = await this.#outboxWaiting();
    const room = Math.min(DUE_CLAIM, Math.max(this.#options.deliveryConcurrency - this.#unsent, DUE_MIN_CLAIM));
    const due = await this.#anythingDue();
    if (results.length === 0 && !outbox && !due) return 0;
    const deliveries: PendingDelivery[] = [];
    let claimed = 0;
    let done: number;
    try {
      done = await this.#db.transaction().execute(async (trx) => {
        deliveries.length = 0;
        claimed = 0;
        let count = results.length;
        if (results.length > 0) deliveries.push(...(await this.#record(trx, results)));
        if (outbox) count += await this.#takeOutbox(trx, deliveries);
        if (due) count += claimed = await this.#claimDue(trx, room, deliveries);
        return count;
      });
    } catch {
      await this.#recordEach(results);
      return results.length + (await this.processOutbox()) + (await this.runDue());
    }
    for (const delivery of deliveries) this.#dispatch(delivery);
    for (const item of results) item.resolve();
    // More were due than one claim takes: the rest in claims of their own, as runDue does.
    return done + (claimed === room ? await this.runDue() : 0);
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
    if (!(await this.#outboxWaiting())) return 0;
    const deliveries: PendingDelivery[] = [];
    const consumed = await this.#db.transaction().execute((trx) => {
      deliveries.length = 0;
      return this.#takeOutbox(trx, deliveries);
    });
    for (const delivery of deliveries) this.#dispatch(delivery);
    return consumed;
  }

  /** Whether the outbox has rows (looked at outside a transaction: an idle pass takes no lock and commits nothing). */
  async #outboxWaiting(): Promise<boolean> {
    return (await this.#db.selectFrom('workflow_outbox').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** processOutbox's work in the caller's transaction; the deliveries to send once it commits go to `deliveries`. */
  async #takeOutbox(trx: Kysely<Database>, deliveries: PendingDelivery[]): Promise<number> {
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
    const known: PassContext = {
      workflows: new WorkflowsById(workflows),
      completions: new Map(),
      writes: new PassWrites(),
    };
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
    // Which workflows each completion enrols in, decided here and inserted in one statement
    // (enrol-once refusals come back missing); their first steps run below, in completion order.
    const properties = new Map<number, Record<string, string | number>>();
    const enrolling = new Map<number, { workflow: WorkflowRecord; values: NewEnrolment }[]>();
    const candidates: NewEnrolment[] = [];
    for (const completion of completions) {
      const contactId = Number(completion.object_id);
      const values = JSON.parse(completion.properties_json) as Record<string, string | number>;
      properties.set(completion.id, values);
      const receivedAt = Number(completion.received_at);
      for (const workflow of byTrigger.get(`${completion.portal_id}:${completion.name}`) ?? []) {
        // Turned on after this completion arrived: it only enrols for later ones.
        if (workflow.enabledAt === null || receivedAt < workflow.enabledAt) continue;
        const matched = workflow.triggers.some(
          (trigger) => trigger.eventName === completion.name && matchesFilters(values, trigger.filters),
        );
        if (!matched) continue;
        const enrolment = newEnrolment(workflow, contactId, completion.id, now);
        candidates.push(enrolment);
        enrolling.set(completion.id, [...(enrolling.get(completion.id) ?? []), { workflow, values: enrolment }]);
        known.writes.contactIds.add(contactId);
      }
    }
    const insertedIds = new Map<string, number[]>();
    for (const row of await this.#hot.insertEnrolments(trx, candidates)) {
      const key = `${row.workflow_id}:${row.completion_id}`;
      insertedIds.set(key, [...(insertedIds.get(key) ?? []), row.id]);
    }
    for (const ids of insertedIds.values()) ids.sort((a, b) => a - b);
    for (const completion of completions) {
      const contactId = Number(completion.object_id);
      const values = properties.get(completion.id)!;
      const receivedAt = Number(completion.received_at);
      for (const row of waits.get(`${completion.portal_id}:${contactId}`) ?? []) {
        if (row.status !== 'waiting') continue;
        const wait = JSON.parse(row.wait_json ?? 'null') as WaitState | null;
        if (!wait || wait.eventName !== completion.name || receivedAt < wait.sinceWall) continue;
        if (wait.filter && !matchesFilter(values, wait.filter)) continue;
        row.status = 'active';
        const steps = JSON.parse(row.steps_json) as WorkflowStep[];
        const woken = {
          ...row,
          status: 'active',
          step_id: branchStartId(steps, wait.stepId, 'met'),
          wait_json: null,
        };
        known.writes.contactIds.add(woken.contact_id);
        known.writes.enrolmentIds.add(woken.id);
        const delivery = await this.#advance(trx, woken, now, known, [
          { kind: 'met', stepId: wait.stepId, detail: `${completion.name} occurred` },
        ]);
        if (delivery) deliveries.push(delivery);
      }
      for (const { workflow, values: enrolment } of enrolling.get(completion.id) ?? []) {
        const id = insertedIds.get(`${workflow.id}:${completion.id}`)?.shift();
        if (id === undefined) continue; // enrol-once: the contact was enrolled before
        const history: HistoryEntry[] = [
          { kind: 'enrolled', stepId: null, detail: `${completion.name} (completion ${completion.id})` },
        ];
        if (enrolment.step_id === null) {
          history.push({ kind: 'finished', stepId: null, detail: 'the workflow has no steps' });
          known.writes.addHistory(id, now, history);
          continue;
        }
        const row: EnrolmentRow = { ...enrolment, id, claim_token: null, wait_json: null };
        const delivery = await this.#advance(trx, row, now, { ...known, fresh: true }, history);
        if (delivery) deliveries.push(delivery);
      }
    }
    await this.#flush(trx, known.writes);
    return claimed.length;
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
        claimed = await this.#db.transaction().execute((trx) => {
          deliveries.length = 0;
          return this.#claimDue(trx, room, deliveries);
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

  /** Claims up to `room` due enrolments in the caller's transaction and runs them; their deliveries go to `deliveries`. */
  async #claimDue(trx: Kysely<Database>, room: number, deliveries: PendingDelivery[]): Promise<number> {
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
    const known: PassContext = {
      workflows: new WorkflowsById(),
      completions: new Map(),
      writes: new PassWrites(),
    };
    await known.workflows.load(
      trx,
      rows.map((row) => row.workflow_id),
    );
    for (const row of rows) {
      known.writes.contactIds.add(row.contact_id);
      known.writes.enrolmentIds.add(row.id);
    }
    for (const row of rows) {
      const delivery = await this.#advance(trx, normalise(row), now, known);
      if (delivery) deliveries.push(delivery);
    }
    await this.#flush(trx, known.writes);
    return rows.length;
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
    // Written with the pass's other writes (#flush), the last state of each enrolment.
    const update = (values: Partial<EnrolmentRow>) => known.writes.states.set(row.id, { ...row, ...values });
    const finish = (status: 'finished' | 'unenrolled', detail: string | null): undefined => {
      history.push({ kind: status, stepId: null, detail });
      update({ status, step_id: null, next_run_at: null, claim_token: null, wait_json: null, finished_at: now });
      return undefined;
    };
    try {
      if (!workflow?.enabled) return finish('unenrolled', 'the workflow was turned off');
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
        if (stepId === null) return finish('finished', null);
        const step = locateStep(steps, stepId)?.step;
        if (!step) return finish('finished', `step ${stepId} was removed from the workflow`);
        switch (step.type) {
          case 'setContactProperty': {
            await db
              .insertInto('contact_property_values')
              .values({ contact_id: row.contact_id, name: step.property, value: step.value, updated_at: now })
              .onConflict((conflict) =>
                conflict.columns(['contact_id', 'name']).doUpdateSet({ value: step.value, updated_at: now }),
              )
              .execute();
            // A webhook later in this pass sends the contact as it now is.
            const cached = known.writes.contacts?.get(row.contact_id);
            if (cached) cached.properties[step.property] = step.value;
            history.push({ kind: 'step', stepId: step.id, detail: `set ${step.property} to "${step.value}"` });
            stepId = nextStepId(steps, step.id);
            continue;
          }
          case 'delay': {
            const due = now + step.seconds * 1000;
            history.push({ kind: 'delayed', stepId: step.id, detail: `until ${new Date(due).toISOString()}` });
            update({ status: 'active', step_id: nextStepId(steps, step.id), next_run_at: due, wait_json: null });
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
            update({
              status: 'waiting',
              step_id: step.id,
              next_run_at: deadline,
              wait_json: JSON.stringify(wait),
            });
            return;
          }
          case 'webhook': {
            const claimToken = randomUUID();
            const delivery = await this.#prepareDelivery(db, workflow, row, step.id, step.url, now, known, claimToken);
            update({
              status: 'active',
              step_id: step.id,
              next_run_at: now + this.leaseMs,
              claim_token: claimToken,
            });
            return delivery;
          }
        }
      }
      // A long chain of instant steps: continue in the next run.
      update({ status: 'active', step_id: stepId, next_run_at: now });
    } finally {
      known.writes.addHistory(row.id, now, history);
    }
  }

  /**
   * The delivery of this enrolment's webhook step, created on the first attempt with its
   * idempotency key. A new one is inserted with the pass's other writes (#flush), which fills in
   * its id before the pass dispatches it.
   */
  async #prepareDelivery(
    db: Kysely<Database>,
    workflow: WorkflowRecord,
    row: EnrolmentRow,
    stepId: string,
    url: string,
    now: number,
    known: PassContext,
    claimToken: string,
  ): Promise<PendingDelivery> {
    // An enrolment inserted in this transaction has no delivery yet; any other may (a run that
    // stopped after preparing it): that one is sent again, with its idempotency key.
    const existing = known.fresh ? undefined : await this.#existingDelivery(db, known.writes, row.id, stepId);
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
        claimToken,
        url: existing.url,
        body: existing.payload_json,
        secret: workflow.secret,
        idempotencyKey: existing.idempotency_key,
      };
    }
    const idempotencyKey = randomUUID();
    const body = JSON.stringify(
      buildPayload(
        workflow,
        row,
        stepId,
        idempotencyKey,
        await this.#contact(db, known.writes, row.contact_id),
        known.completions.get(row.completion_id) ?? (await completionOf(db, row.completion_id)),
      ),
    );
    const pending: PendingDelivery = {
      workflowId: row.workflow_id,
      enrolmentId: row.id,
      deliveryId: 0, // set by #flush
      stepId,
      claimToken,
      url,
      body,
      secret: workflow.secret,
      idempotencyKey,
    };
    known.writes.deliveries.push({
      pending,
      row: {
        portal_id: row.portal_id,
        workflow_id: row.workflow_id,
        enrolment_id: row.id,
        step_id: stepId,
        url,
        idempotency_key: idempotencyKey,
        payload_json: body,
        now,
      },
    });
    return pending;
  }

  /** The contact for a payload; the pass's contacts are read together the first time one is needed. */
  async #contact(
    db: Kysely<Database>,
    writes: PassWrites,
    contactId: number,
  ): Promise<ContactWithProperties | undefined> {
    if (!writes.contacts?.has(contactId) && !writes.contactsRead.has(contactId)) {
      writes.contactIds.add(contactId);
      const ids = [...writes.contactIds].filter((id) => !writes.contactsRead.has(id));
      const read = await this.#hot.contactsWithProperties(db, ids);
      writes.contacts ??= new Map();
      for (const id of ids) writes.contactsRead.add(id);
      for (const [id, contact] of read) writes.contacts.set(id, contact);
    }
    return writes.contacts?.get(contactId);
  }

  /** An enrolment's delivery of a step; the pass's enrolments' deliveries are read together the first time. */
  async #existingDelivery(
    db: Kysely<Database>,
    writes: PassWrites,
    enrolmentId: number,
    stepId: string,
  ): Promise<DeliveryRow | undefined> {
    if (!writes.deliveriesRead.has(enrolmentId)) {
      writes.enrolmentIds.add(enrolmentId);
      const ids = [...writes.enrolmentIds].filter((id) => !writes.deliveriesRead.has(id));
      for (const delivery of await this.#hot.deliveriesOf(db, ids)) {
        writes.existing.set(`${delivery.enrolment_id}:${delivery.step_id}`, delivery);
      }
      for (const id of ids) writes.deliveriesRead.add(id);
    }
    return writes.existing.get(`${enrolmentId}:${stepId}`);
  }

  /** Writes what a pass's steps decided: new deliveries (their ids go to the pending ones), enrolment states, history. */
  async #flush(db: Kysely<Database>, writes: PassWrites): Promise<void> {
    if (writes.deliveries.length > 0) {
      const ids = await this.#hot.insertDeliveries(
        db,
        writes.deliveries.map((delivery) => delivery.row),
      );
      for (const { pending, row } of writes.deliveries) pending.deliveryId = ids.get(row.idempotency_key)!;
    }
    await this.#hot.updateEnrolments(db, [...writes.states.values()]);
    await this.#hot.addHistoryRows(db, writes.history);
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
    // On SQLite the engine's next pass records them in its transaction (#sqlitePass): wake it if idle.
    if (this.#sqlite && !this.#stopped) return void this.#wake?.();
    this.#flushingResults = true;
    const record = () => void this.#recordBatch();
    if (this.#options.gatherMs > 0) setTimeout(record, this.#options.gatherMs);
    else setImmediate(record);
  }

  async #recordBatch(): Promise<void> {
    const batch = this.#takeResults();
    try {
      const following = await this.#db.transaction().execute((trx) => this.#record(trx, batch));
      for (const delivery of following) this.#dispatch(delivery);
      for (const item of batch) item.resolve();
    } catch {
      await this.#recordEach(batch);
    } finally {
      this.#flushingResults = false;
      this.#flushResults();
    }
  }

  /**
   * Queued results to record together: one per enrolment (a second one, from a run whose lease ran
   * out, waits for the next batch), so that each claim released belongs to one result.
   */
  #takeResults(): QueuedResult[] {
    const batch: QueuedResult[] = [];
    const enrolments = new Set<number>();
    for (let index = 0; index < this.#results.length && batch.length < RESULT_BATCH;) {
      const item = this.#results[index]!;
      if (enrolments.has(item.delivery.enrolmentId)) {
        index++;
        continue;
      }
      enrolments.add(item.delivery.enrolmentId);
      batch.push(item);
      this.#results.splice(index, 1);
    }
    return batch;
  }

  /** Records each result in a transaction of its own, so one bad record cannot hold up the others. */
  async #recordEach(items: readonly QueuedResult[]): Promise<void> {
    for (const item of items) {
      try {
        const following = await this.#db.transaction().execute((trx) => this.#record(trx, [item]));
        for (const delivery of following) this.#dispatch(delivery);
        item.resolve();
      } catch (error) {
        item.reject(error);
      }
    }
  }

  /**
   * Records attempts' results and, for each run that still holds its claim, moves the enrolment
   * on; returns the deliveries that follow. A few statements for the whole batch, not a few per result.
   */
  async #record(trx: Kysely<Database>, items: readonly QueuedResult[]): Promise<PendingDelivery[]> {
    const now = this.clock.now();
    const known: PassContext = { workflows: new WorkflowsById(), completions: new Map(), writes: new PassWrites() };
    await known.workflows.load(
      trx,
      items.map((item) => item.delivery.workflowId),
    );
    const attemptsById = await this.#hot.attemptsOf(
      trx,
      items.map((item) => item.delivery.deliveryId),
    );
    const outcomes = [];
    for (const { delivery, result } of items) {
      const attempts = attemptsById.get(delivery.deliveryId) ?? 1;
      const retry = !result.ok && result.retryable && attempts < this.#options.maxAttempts;
      const nextAttemptAt = retry ? now + this.#options.retryBaseMs * 2 ** (attempts - 1) : null;
      const workflow = await known.workflows.get(trx, delivery.workflowId);
      outcomes.push({
        delivery,
        result,
        attempts,
        retry,
        nextAttemptAt,
        next: nextStepId(workflow?.steps ?? [], delivery.stepId),
      });
    }
    await this.#hot.recordAttempts(
      trx,
      outcomes.map(({ delivery, result, attempts, retry, nextAttemptAt }) => ({
        deliveryId: delivery.deliveryId,
        status: result.ok ? 'succeeded' : retry ? 'retrying' : 'failed',
        response_status: result.status,
        latency_ms: result.latencyMs,
        error: result.ok ? null : retry ? result.error : describeFailure(result, attempts),
        next_attempt_at: nextAttemptAt,
        now,
      })),
    );
    // Only the run holding the claim moves the enrolment on; a run whose lease expired (and
    // was taken over) just records its attempt.
    const moved = new Map(
      (
        await this.#hot.releaseClaims(
          trx,
          outcomes.map(({ delivery, retry, nextAttemptAt, next }) => ({
            enrolmentId: delivery.enrolmentId,
            claimToken: delivery.claimToken,
            stepId: delivery.stepId,
            ...(retry ? { next_run_at: nextAttemptAt, step_id: delivery.stepId } : { next_run_at: now, step_id: next }),
          })),
        )
      ).map((row) => [row.id, normalise(row)]),
    );
    for (const row of moved.values()) {
      known.writes.contactIds.add(row.contact_id);
      known.writes.enrolmentIds.add(row.id);
    }
    const following: PendingDelivery[] = [];
    for (const { delivery, result, attempts, retry, nextAttemptAt } of outcomes) {
      const row = moved.get(delivery.enrolmentId);
      if (!row) continue;
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
      if (retry) {
        known.writes.addHistory(row.id, now, history);
        continue;
      }
      // Go on with the following steps at once, in this transaction.
      const next = await this.#advance(trx, row, now, known, history);
      if (next) following.push(next);
    }
    await this.#flush(trx, known.writes);
    return following;
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
  writes: PassWrites;
}

/**
 * What one pass's steps write and read, gathered so that each kind is one statement for the whole
 * pass instead of one per enrolment (an enrolment used to cost about ten statements; on
 * PostgreSQL each one a round trip, on SQLite each one a trip through Kysely and the driver).
 * Nothing in a pass reads these rows back before `#flush` writes them: each enrolment is advanced
 * at most once per pass.
 */
class PassWrites {
  readonly history: HistoryRow[] = [];
  /** The last state of each enrolment the pass moved. */
  readonly states = new Map<number, EnrolmentRow>();
  /** New deliveries, with the pending delivery whose id is set once they are inserted. */
  readonly deliveries: { row: NewDelivery; pending: PendingDelivery }[] = [];
  /** Contacts a payload of this pass may need: read together when the first one is. */
  readonly contactIds = new Set<number>();
  readonly contactsRead = new Set<number>();
  contacts: Map<number, ContactWithProperties> | undefined;
  /** Enrolments whose earlier deliveries a step of this pass may need: read together too. */
  readonly enrolmentIds = new Set<number>();
  readonly deliveriesRead = new Set<number>();
  readonly existing = new Map<string, DeliveryRow>();

  addHistory(enrolmentId: number, at: number, entries: readonly HistoryEntry[]): void {
    for (const entry of entries) this.history.push({ enrolmentId, at, ...entry });
  }
}

/** A new enrolment's row: at its first step, or finished when the workflow has no steps. */
function newEnrolment(workflow: WorkflowRecord, contactId: number, completionId: number, now: number): NewEnrolment {
  const first = workflow.steps[0]?.id ?? null;
  return {
    portal_id: workflow.portalId,
    workflow_id: workflow.id,
    contact_id: contactId,
    once_key: workflow.reenrollment ? null : contactId,
    completion_id: completionId,
    status: first ? 'active' : 'finished',
    step_id: first,
    next_run_at: first ? now : null,
    enrolled_at: now,
    finished_at: first ? null : now,
  };
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

/** A completion for a payload that the pass did not read already. */
function completionOf(db: Kysely<Database>, completionId: number): Promise<PayloadCompletion | undefined> {
  return db
    .selectFrom('completions')
    .innerJoin('event_definitions', 'event_definitions.id', 'completions.definition_id')
    .select(['completions.id', 'event_definitions.name', 'completions.occurred_at', 'completions.properties_json'])
    .where('completions.id', '=', completionId)
    .executeTakeFirst();
}

/** The webhook's JSON body: contact, triggering completion, workflow and step ids. */
function buildPayload(
  workflow: WorkflowRecord,
  row: EnrolmentRow,
  stepId: string,
  idempotencyKey: string,
  contact: ContactWithProperties | undefined,
  completion: PayloadCompletion | undefined,
) {
  return {
    idempotencyKey,
    workflow: { id: String(workflow.id), name: workflow.name },
    step: { id: stepId },
    enrolment: { id: String(row.id) },
    contact: { id: String(row.contact_id), email: contact?.email ?? null, properties: contact?.properties ?? {} },
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
