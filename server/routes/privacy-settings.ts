import { Hono } from 'hono';
import { ingestStatsSchema, privacySettingsPatchSchema, type IngestStats } from '../../lib/shared';
import { readJson } from '../http/body';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { listDropped } from '../storage/ingest-drops';
import { getPrivacySettings, updatePrivacySettings } from '../storage/privacy-settings';

/**
 * `/settings/v1/privacy`: the portal's consent mode, retention, Do Not Track and bot options
 * (`GET`, `PATCH` with any of the fields), and `GET /settings/v1/privacy/ingest-stats?days=N`:
 * what the collect endpoint dropped (bots) per day.
 */
export function privacySettingsRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/privacy', async (c) => c.json(await getPrivacySettings(db, c.get('portalId'))));

  app.patch('/privacy', async (c) => {
    const patch = privacySettingsPatchSchema.safeParse(await readJson(c));
    if (!patch.success) throw HttpError.fromZod(patch.error, 'privacy settings');
    return c.json(await updatePrivacySettings(db, c.get('portalId'), patch.data));
  });

  app.get('/privacy/ingest-stats', async (c) => {
    const raw = c.req.query('days') ?? '30';
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 400) {
      throw HttpError.validation('Invalid days: it must be a whole number from 1 to 400.', [
        { message: 'days must be between 1 and 400', in: 'days', code: 'invalid_days' },
      ]);
    }
    const days = Number(raw);
    const byDay = await listDropped(db, c.get('portalId'), days);
    const body: IngestStats = {
      days,
      dropped: { bot: byDay.filter((row) => row.reason === 'bot').reduce((sum, row) => sum + row.count, 0) },
      byDay,
    };
    return c.json(ingestStatsSchema.parse(body));
  });
  return app;
}
