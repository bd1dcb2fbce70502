import type { Kysely } from 'kysely';
import {
  DEFAULT_PRIVACY_SETTINGS,
  type ConsentMode,
  type PrivacySettings,
  type PrivacySettingsPatch,
} from '../../lib/shared';
import type { Database } from './schema';

/** The portal's privacy settings; the defaults when it never changed them. */
export async function getPrivacySettings(db: Kysely<Database>, portalId: number): Promise<PrivacySettings> {
  const row = await db.selectFrom('portal_privacy').selectAll().where('portal_id', '=', portalId).executeTakeFirst();
  if (!row) return { ...DEFAULT_PRIVACY_SETTINGS };
  return {
    consentMode: row.consent_mode as ConsentMode,
    retentionMonths: row.retention_months === null ? null : Number(row.retention_months),
    respectDoNotTrack: Boolean(row.respect_dnt),
    keepBots: Boolean(row.keep_bots),
    updatedAt: row.updated_at,
  };
}

/** Applies a patch (fields not in it keep their values) and returns the new settings. */
export async function updatePrivacySettings(
  db: Kysely<Database>,
  portalId: number,
  patch: PrivacySettingsPatch,
): Promise<PrivacySettings> {
  return db.transaction().execute(async (trx) => {
    const current = await getPrivacySettings(trx, portalId);
    const next: PrivacySettings = { ...current, ...patch, updatedAt: new Date().toISOString() };
    const row = {
      consent_mode: next.consentMode,
      retention_months: next.retentionMonths,
      respect_dnt: next.respectDoNotTrack ? 1 : 0,
      keep_bots: next.keepBots ? 1 : 0,
      updated_at: next.updatedAt!,
    };
    await trx
      .insertInto('portal_privacy')
      .values({ portal_id: portalId, ...row })
      .onConflict((conflict) => conflict.column('portal_id').doUpdateSet(row))
      .execute();
    return next;
  });
}

/** Portals that set a retention period, with it. */
export async function portalsWithRetention(
  db: Kysely<Database>,
): Promise<{ portalId: number; retentionMonths: number }[]> {
  const rows = await db
    .selectFrom('portal_privacy')
    .select(['portal_id', 'retention_months'])
    .where('retention_months', 'is not', null)
    .orderBy('portal_id')
    .execute();
  return rows.map((row) => ({ portalId: row.portal_id, retentionMonths: Number(row.retention_months) }));
}
