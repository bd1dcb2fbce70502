import { Hono } from 'hono';
import { trackingSettingsPatchSchema } from '../../lib/shared';
import { readJson } from '../http/body';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { getTrackingSettings, updateTrackingSettings } from '../storage/tracking-settings';

/** `/settings/v1/tracking`: how the portal's tracker samples selector health (`GET`, `PATCH`). */
export function trackingSettingsRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/tracking', async (c) => c.json(await getTrackingSettings(db, c.get('portalId'))));
  app.patch('/tracking', async (c) => {
    const patch = trackingSettingsPatchSchema.safeParse(await readJson(c));
    if (!patch.success) throw HttpError.fromZod(patch.error, 'tracking settings');
    return c.json(await updateTrackingSettings(db, c.get('portalId'), patch.data));
  });
  return app;
}
