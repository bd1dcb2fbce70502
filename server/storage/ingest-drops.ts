import { sql, type Kysely } from 'kysely';
import type { DroppedReason } from '../../lib/shared';
import type { Database } from './schema';

/** Adds `count` dropped completions to today's counter (UTC) of the portal; safe across servers. */
export async function countDropped(
  db: Kysely<Database>,
  portalId: number,
  reason: DroppedReason,
  count: number,
  now = Date.now(),
): Promise<void> {
  const day = new Date(now).toISOString().slice(0, 10);
  await db
    .insertInto('ingest_drops')
    .values({ portal_id: portalId, day, reason, count })
    .onConflict((conflict) =>
      conflict.columns(['portal_id', 'day', 'reason']).doUpdateSet({ count: sql`ingest_drops.count + excluded.count` }),
    )
    .execute();
}

/** Counters of the last `days` days (today included), oldest first. */
export async function listDropped(
  db: Kysely<Database>,
  portalId: number,
  days: number,
  now = Date.now(),
): Promise<{ date: string; reason: DroppedReason; count: number }[]> {
  const since = new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('ingest_drops')
    .select(['day', 'reason', 'count'])
    .where('portal_id', '=', portalId)
    .where('day', '>=', since)
    .orderBy('day')
    .orderBy('reason')
    .execute();
  return rows.map((row) => ({ date: row.day, reason: row.reason as DroppedReason, count: Number(row.count) }));
}
