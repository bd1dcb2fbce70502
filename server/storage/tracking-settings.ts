import type { Kysely } from 'kysely';
import { DEFAULT_HEALTH_SAMPLE_RATE, type TrackingSettings, type TrackingSettingsPatch } from '../../lib/shared';
import type { Database } from './schema';

/** The portal's tracking settings; the defaults when it never changed them. */
export async function getTrackingSettings(db: Kysely<Database>, portalId: number): Promise<TrackingSettings> {
  const row = await db.selectFrom('portal_tracking').selectAll().where('portal_id', '=', portalId).executeTakeFirst();
  if (!row) return { healthSampleRate: DEFAULT_HEALTH_SAMPLE_RATE, updatedAt: null };
  return { healthSampleRate: Number(row.health_sample_rate), updatedAt: row.updated_at };
}

/** Applies a patch (fields not in it keep their values) and returns the new settings. */
export async function updateTrackingSettings(
  db: Kysely<Database>,
  portalId: number,
  patch: TrackingSettingsPatch,
): Promise<TrackingSettings> {
  return db.transaction().execute(async (trx) => {
    const next = { ...(await getTrackingSettings(trx, portalId)), ...patch, updatedAt: new Date().toISOString() };
    const row = { health_sample_rate: next.healthSampleRate, updated_at: next.updatedAt };
    await trx
      .insertInto('portal_tracking')
      .values({ portal_id: portalId, ...row })
      .onConflict((conflict) => conflict.column('portal_id').doUpdateSet(row))
      .execute();
    return next;
  });
}
