/**
 * The analytics reads, on SQLite and PostgreSQL alike. Every query reads one event definition's
 * completions in a time range through the `(definition_id, occurred_at, id, object_id)` index of
 * migration 004, which also holds the contact: counts and distinct contacts never touch the table.
 */
import { SqliteIntrospector, sql, type Kysely } from 'kysely';
import type { AnalyticsCounts } from '../../lib/shared';
import type { Database } from '../storage/schema';
import type { Bucket } from './buckets';

/** An epoch-millisecond literal: the bucket table is inlined (see countBuckets), so check it is an integer. */
function instant(value: number) {
  if (!Number.isSafeInteger(value)) throw new Error(`Not an epoch-millisecond instant: ${value}`);
  return sql.lit(value);
}

/**
 * Completions and distinct contacts per bucket, in bucket order (zero-filled). The buckets are a
 * VALUES table joined on the range `start <= occurred_at < end`, so each bucket is one index range
 * scan and both databases count the same way, with the bucket boundaries computed in the zone by
 * the caller (SQLite knows no time zones). Bounds are inlined as integer literals: PostgreSQL would
 * type untyped parameters of a VALUES list as text.
 */
export async function countBuckets(
  db: Kysely<Database>,
  definitionId: number,
  buckets: readonly Bucket[],
): Promise<AnalyticsCounts[]> {
  if (buckets.length === 0) return [];
  const values = sql.join(
    buckets.map((bucket, index) => sql`(${sql.lit(index)}, ${instant(bucket.start)}, ${instant(bucket.end)})`),
  );
  const { rows } = await sql<{ i: number; completions: number; contacts: number }>`
    WITH b (i, s, e) AS (VALUES ${values})
    SELECT b.i AS i, COUNT(*) AS completions, COUNT(DISTINCT c.object_id) AS contacts
    FROM b JOIN completions c
      ON c.definition_id = ${definitionId} AND c.occurred_at >= b.s AND c.occurred_at < b.e
    WHERE c.occurred_at >= ${instant(buckets[0]!.start)} AND c.occurred_at < ${instant(buckets.at(-1)!.end)}
    GROUP BY b.i`.execute(db);
  const counts = buckets.map(() => ({ completions: 0, uniqueContacts: 0 }));
  for (const row of rows) {
    counts[Number(row.i)] = { completions: Number(row.completions), uniqueContacts: Number(row.contacts) };
  }
  return counts;
}

/** Completions and distinct contacts in `[start, end)`. */
export async function countRange(
  db: Kysely<Database>,
  definitionId: number,
  start: number,
  end: number,
): Promise<AnalyticsCounts> {
  const row = await db
    .selectFrom('completions')
    .select((eb) => [
      eb.fn.countAll<number>().as('completions'),
      eb.fn.count<number>('object_id').distinct().as('contacts'),
    ])
    .where('definition_id', '=', definitionId)
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .executeTakeFirstOrThrow();
  return { completions: Number(row.completions), uniqueContacts: Number(row.contacts) };
}

/** One stored value of a property (null when absent) and a contact, with its completions. */
export interface ValueContactCount {
  value: string | null;
  contact: string;
  completions: number;
}

/**
 * The completions in `[start, end)` grouped by (property value, contact): enough to count values,
 * split multi-values and count distinct contacts of any group of values, with the rows to send
 * bounded by values × contacts rather than by completions.
 */
export async function valueContactCounts(
  db: Kysely<Database>,
  definitionId: number,
  property: string,
  start: number,
  end: number,
): Promise<ValueContactCount[]> {
  const sqlite = db.introspection instanceof SqliteIntrospector;
  // Property names are ^[a-z][a-z0-9_]*$; quoted all the same, and passed as a parameter.
  const value = sqlite
    ? sql`json_extract(properties_json, ${`$."${property}"`})`
    : sql`(properties_json::json ->> ${property})`;
  const { rows } = await sql<{ value: string | number | null; contact: string; completions: number }>`
    SELECT v AS value, object_id AS contact, COUNT(*) AS completions
    FROM (
      SELECT ${value} AS v, object_id FROM completions
      WHERE definition_id = ${definitionId} AND occurred_at >= ${start} AND occurred_at < ${end}
    ) AS picked
    GROUP BY v, object_id`.execute(db);
  return rows.map((row) => ({
    value: row.value === null ? null : String(row.value),
    contact: row.contact,
    completions: Number(row.completions),
  }));
}

/** A completion as a funnel step sees it. */
export interface StepCompletion {
  contact: string;
  at: number;
  id: number;
}

/** The completions of one event in `[start, end)`, oldest first (ties by id). */
export async function stepCompletions(
  db: Kysely<Database>,
  definitionId: number,
  start: number,
  end: number,
): Promise<StepCompletion[]> {
  const rows = await db
    .selectFrom('completions')
    .select(['object_id', 'occurred_at', 'id'])
    .where('definition_id', '=', definitionId)
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ contact: row.object_id, at: Number(row.occurred_at), id: row.id }));
}
