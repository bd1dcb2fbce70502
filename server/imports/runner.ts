import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database, ImportRow } from '../storage/schema';
import { ImportFailure } from './checked-batches';
import { rollBackImport, runImportJob, type JobOptions } from './job';

export interface RunnerOptions extends JobOptions {
  /** How often an idle runner looks for work (queued jobs, and jobs whose runner died). */
  pollMs?: number;
  /** A RUNNING job whose heartbeat is older than this belongs to a runner that died; it is resumed. */
  staleAfterMs?: number;
}

/**
 * The server's durable import queue: jobs live in the `imports` table, one runs at a time per
 * process, off the request path. A job whose runner died (crash, kill -9, restart) is taken over
 * once its heartbeat is stale, by this process after a restart or by another server sharing the
 * PostgreSQL database, and resumes after its last committed batch.
 */
export class ImportRunner {
  readonly #db: Kysely<Database>;
  readonly #options: Required<Pick<RunnerOptions, 'pollMs' | 'staleAfterMs'>> & JobOptions;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<void> | undefined;
  #stopped = false;
  #kicked = false;

  constructor(db: Kysely<Database>, options: RunnerOptions = {}) {
    this.#db = db;
    this.#options = { pollMs: 1000, staleAfterMs: 10_000, ...options };
  }

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** Looks for work now (after a job was queued or cancelled) rather than at the next poll. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#current) {
      this.#kicked = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#current = this.#loop().finally(() => {
      this.#current = undefined;
      if (this.#stopped) return;
      if (this.#kicked) {
        this.#kicked = false;
        this.kick();
      } else {
        this.#timer = setTimeout(() => this.kick(), this.#options.pollMs);
        this.#timer.unref();
      }
    });
  }

  /** Stops taking work and waits for the running batch; the job resumes at the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#current;
  }

  get stopping(): boolean {
    return this.#stopped;
  }

  async #loop(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      let job: ImportRow | undefined;
      try {
        job = await this.#claim();
      } catch (error) {
        console.error('Import queue: looking for work failed:', error);
        return;
      }
      if (!job) return;
      await this.#run(job);
    }
  }

  /**
   * Claims one queued job and runs it here and now (the CLI), instead of waiting for the poll;
   * false when it is not queued any more.
   */
  async runNow(id: string): Promise<boolean> {
    const now = Date.now();
    const result = await this.#db
      .updateTable('imports')
      .set({ status: 'RUNNING', heartbeat_at: now, run_started_at: now, run_rows_start: 0 })
      .where('id', '=', id)
      .where('status', '=', 'QUEUED')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.#run(await this.#db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    return true;
  }

  /** Takes the oldest queued job, or one whose runner stopped beating; a conditional update makes it ours. */
  async #claim(): Promise<ImportRow | undefined> {
    const now = Date.now();
    const stale = now - this.#options.staleAfterMs;
    const candidates = await this.#db
      .selectFrom('imports')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('status', '=', 'QUEUED'),
          eb.and([
            eb('status', 'in', ['RUNNING', 'CANCELLING']),
            eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', stale)]),
          ]),
        ]),
      )
      .orderBy('created_at')
      .limit(5)
      .execute();
    for (const candidate of candidates) {
      const claim = this.#db
        .updateTable('imports')
        .set({
          status: candidate.status === 'QUEUED' ? 'RUNNING' : candidate.status,
          heartbeat_at: now,
          run_started_at: now,
          run_rows_start: candidate.rows_read,
        })
        .where('id', '=', candidate.id)
        .where('status', '=', candidate.status);
      const result = await (
        candidate.heartbeat_at === null
          ? claim.where('heartbeat_at', 'is', null)
          : claim.where('heartbeat_at', '=', candidate.heartbeat_at)
      ).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        return this.#db.selectFrom('imports').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
      }
    }
    return undefined;
  }

  async #run(job: ImportRow): Promise<void> {
    // Beat while the job runs, so no other runner takes it over (batches beat too).
    const beat = setInterval(
      () => {
        void this.#db
          .updateTable('imports')
          .set({ heartbeat_at: Date.now() })
          .where('id', '=', job.id)
          .where('status', 'in', ['RUNNING', 'CANCELLING'])
          .execute()
          .catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#options.staleAfterMs / 4)),
    );
    beat.unref();
    try {
      if (job.status === 'RUNNING') {
        await runImportJob(this.#db, job, {
          ...this.#options,
          shouldStop: () => this.#stopped,
          onBatch: this.#options.onBatch,
        });
      }
      const after = await this.#db.selectFrom('imports').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
      if (after.status === 'CANCELLING' && !this.#stopped) await this.#finishCancel(after);
      if (after.status === 'COMPLETED' || after.status === 'CANCELLED') this.#removeFile(after);
    } catch (error) {
      const message =
        error instanceof ImportFailure
          ? error.message
          : `The import failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      if (!(error instanceof ImportFailure)) console.error(`Import ${job.id} failed:`, error);
      await this.#db
        .updateTable('imports')
        .set({ status: 'FAILED', error: message, finished_at: Date.now() })
        .where('id', '=', job.id)
        .execute()
        .catch((failure: unknown) => console.error(`Import ${job.id}: recording the failure failed:`, failure));
      this.#removeFile(job);
    } finally {
      clearInterval(beat);
    }
  }

  async #finishCancel(job: ImportRow): Promise<void> {
    if (job.rollback) await rollBackImport(this.#db, job.portal_id, job.id);
    await this.#db
      .updateTable('imports')
      .set({ status: 'CANCELLED', rolled_back: job.rollback, finished_at: Date.now() })
      .where('id', '=', job.id)
      .execute();
    this.#removeFile(job);
  }

  #removeFile(job: ImportRow): void {
    if (job.owns_file) fs.rmSync(job.file_path, { force: true });
  }
}
