import type { Kysely } from 'kysely';
import { portalsWithRetention } from '../storage/privacy-settings';
import type { Database } from '../storage/schema';

export interface RetentionOptions {
  /** The clock; tests pass their own. */
  now?: () => number;
  /** Completions deleted per statement: each statement holds SQLite's write lock only this long. */
  batchSize?: number;
  /** Pause between batches, so ingest's group commits get the database in between. */
  pauseMs?: number;
  /** Time from start() to the first run, and between the end of one run and the next. */
  initialDelayMs?: number;
  intervalMs?: number;
  /** Where a failed run is reported (the job keeps its schedule). */
  onError?: (error: unknown) => void;
}

const DEFAULTS = {
  batchSize: 1000,
  pauseMs: 5,
  initialDelayMs: 60_000,
  intervalMs: 60 * 60_000,
} as const;

/**
 * The instant before which completions are older than `months` calendar months (UTC): the same
 * day of the month, clamped to the month's last day (31 March minus one month is 28/29 February).
 */
export function retentionCutoff(now: number, months: number): number {
  const date = new Date(now);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

export interface RetentionRun {
  /** Completions deleted, per portal. */
  deleted: Map<number, number>;
}

/**
 * Deletes completions older than each portal's retention period (`retentionMonths` of the
 * privacy settings), in small batches that never block ingest for long: every batch is its own
 * short statement (autocommit), and the job pauses between batches. Runs every hour once started;
 * `runOnce` runs it now. Several servers on one PostgreSQL may run it at once: the deletes are
 * idempotent.
 */
export class RetentionJob {
  readonly #db: Kysely<Database>;
  readonly #options: Required<Omit<RetentionOptions, 'onError' | 'now'>> & Pick<RetentionOptions, 'onError'>;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<RetentionRun> | undefined;
  #stopped = false;
  /** Set by stop(): the run in progress ends after its current batch. */
  #aborted = false;

  constructor(db: Kysely<Database>, options: RetentionOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Schedules the runs: the first after `initialDelayMs`, then every `intervalMs`. */
  start(): void {
    this.#stopped = false;
    this.#schedule(this.#options.initialDelayMs);
  }

  /** Stops the schedule and waits for a run in progress to finish its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#aborted = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One run over every portal with a retention period (joins a run already in progress). */
  runOnce(): Promise<RetentionRun> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => (this.#options.onError ?? defaultOnError)(error))
        .finally(() => this.#schedule(this.#options.intervalMs));
    }, delay);
    this.#timer.unref?.();
  }

  async #run(): Promise<RetentionRun> {
    this.#aborted = false;
    const deleted = new Map<number, number>();
    for (const { portalId, retentionMonths } of await portalsWithRetention(this.#db)) {
      const cutoff = retentionCutoff(this.#now(), retentionMonths);
      let total = 0;
      for (;;) {
        const count = await this.#deleteBatch(portalId, cutoff);
        total += count;
        if (count < this.#options.batchSize || this.#aborted) break;
        await new Promise((resolve) => setTimeout(resolve, this.#options.pauseMs));
      }
      deleted.set(portalId, total);
      if (this.#aborted) break;
    }
    return { deleted };
  }

  async #deleteBatch(portalId: number, cutoff: number): Promise<number> {
    const db = this.#db;
    // The oldest first, by the (portal_id, occurred_at, id) index: a short range scan per batch.
    const result = await db
      .deleteFrom('completions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('completions')
          .select('id')
          .where('portal_id', '=', portalId)
          .where('occurred_at', '<', cutoff)
          .orderBy('occurred_at')
          .limit(this.#options.batchSize),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function defaultOnError(error: unknown): void {
  console.error('Retention job failed (it runs again at its next interval):', error);
}
