import { Hono } from 'hono';
import type { AccountDetails } from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { getPortal } from '../storage/portals';

/** `/account-info/v3/details`: which portal the API key belongs to (HubSpot-compatible path). */
export function accountRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/details', async (c) => {
    const portal = await getPortal(db, c.get('portalId'));
    if (!portal) throw HttpError.notFound('The portal of this API key no longer exists.');
    const body: AccountDetails = { portalId: portal.id, name: portal.name };
    return c.json(body);
  });
  return app;
}
