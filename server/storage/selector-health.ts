import { sql, type Kysely } from 'kysely';
import type { DefinitionHealth, HealthSignal } from '../../lib/shared';
import type { Database } from './schema';

/** One definition's check on one sampled page view. */
export interface HealthCheck {
  definitionId: number;
  path: string;
  signal: HealthSignal;
}

/**
 * Counts one sampled page view for each check: one upsert per definition, path and UTC day, in
 * one transaction (a report names each definition at most once; the route dedupes).
 */
export async function recordHealth(db: Kysely<Database>, checks: readonly HealthCheck[], at: number): Promise<void> {
  if (checks.length === 0) return;
  const day = new Date(at).toISOString().slice(0, 10);
  await db.transaction().execute(async (trx) => {
    for (const check of checks) {
      const matched = check.signal === 'none' ? 0 : 1;
      const fallback = check.signal === 'alternative' || check.signal === 'fingerprint' ? 1 : 0;
      const fingerprint = check.signal === 'fingerprint' ? 1 : 0;
      await trx
        .insertInto('selector_health')
        .values({
          definition_id: check.definitionId,
          day,
          path: check.path,
          page_views: 1,
          matched,
          via_fallback: fallback,
          via_fingerprint: fingerprint,
          last_matched_at: matched ? at : null,
          last_missed_at: matched ? null : at,
        })
        .onConflict((conflict) =>
          conflict.columns(['definition_id', 'day', 'path']).doUpdateSet({
            page_views: sql`selector_health.page_views + 1`,
            matched: sql`selector_health.matched + ${matched}`,
            via_fallback: sql`selector_health.via_fallback + ${fallback}`,
            via_fingerprint: sql`selector_health.via_fingerprint + ${fingerprint}`,
            ...(matched ? { last_matched_at: at } : { last_missed_at: at }),
          }),
        )
        .execute();
    }
  });
}

type Counts = Omit<DefinitionHealth, 'eventName' | 'days' | 'paths'>;

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());
const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** A definition's health over the last `days` UTC days (today included): totals and per path, busiest first. */
export async function definitionHealth(
  db: Kysely<Database>,
  definitionId: number,
  days: number,
  now: number,
): Promise<{ totals: Counts; paths: (Counts & { path: string })[] }> {
  const since = new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('selector_health')
    .select([
      'path',
      (eb) => eb.fn.sum<string | number>('page_views').as('page_views'),
      (eb) => eb.fn.sum<string | number>('matched').as('matched'),
      (eb) => eb.fn.sum<string | number>('via_fallback').as('via_fallback'),
      (eb) => eb.fn.sum<string | number>('via_fingerprint').as('via_fingerprint'),
      (eb) => eb.fn.max('last_matched_at').as('last_matched_at'),
      (eb) => eb.fn.max('last_missed_at').as('last_missed_at'),
    ])
    .where('definition_id', '=', definitionId)
    .where('day', '>=', since)
    .groupBy('path')
    .execute();
  const totals = {
    pageViews: 0,
    matched: 0,
    viaFallback: 0,
    viaFingerprint: 0,
    lastMatched: null as number | null,
    lastMissed: null as number | null,
  };
  const paths = rows.map((row) => {
    const lastMatched = row.last_matched_at === null ? null : Number(row.last_matched_at);
    const lastMissed = row.last_missed_at === null ? null : Number(row.last_missed_at);
    const counts = {
      path: row.path,
      pageViews: Number(row.page_views),
      matched: Number(row.matched),
      viaFallback: Number(row.via_fallback),
      viaFingerprint: Number(row.via_fingerprint),
      lastMatchedAt: iso(lastMatched),
      lastMissedAt: iso(lastMissed),
    };
    totals.pageViews += counts.pageViews;
    totals.matched += counts.matched;
    totals.viaFallback += counts.viaFallback;
    totals.viaFingerprint += counts.viaFingerprint;
    totals.lastMatched = later(totals.lastMatched, lastMatched);
    totals.lastMissed = later(totals.lastMissed, lastMissed);
    return counts;
  });
  paths.sort((a, b) => b.pageViews - a.pageViews || a.path.localeCompare(b.path));
  return {
    totals: {
      pageViews: totals.pageViews,
      matched: totals.matched,
      viaFallback: totals.viaFallback,
      viaFingerprint: totals.viaFingerprint,
      lastMatchedAt: iso(totals.lastMatched),
      lastMissedAt: iso(totals.lastMissed),
    },
    paths,
  };
}
