import { Hono } from 'hono';
import {
  allowedOriginAddSchema,
  normaliseOrigin,
  type AllowedOriginAdded,
  type AllowedOrigins,
} from '../../lib/shared';
import { readJson } from '../http/body';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { addOrigin, listOrigins, removeOrigin } from '../storage/portal-origins';

/**
 * `/settings/v1/origins`: the sites whose pages may load the portal's tracker config and send
 * events — what `npm run server -- origins add|list|remove` does, for the side panel's "Allow this
 * site" (`GET` lists, `POST {origin}` adds, `DELETE ?origin=` removes).
 */
export function allowedOriginRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/origins', async (c) =>
    c.json({ results: await listOrigins(db, c.get('portalId')) } satisfies AllowedOrigins),
  );

  app.post('/origins', async (c) => {
    const parsed = allowedOriginAddSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'origin');
    const { origin } = parsed.data;
    const added = await addOrigin(db, c.get('portalId'), origin);
    return c.json({ origin, added } satisfies AllowedOriginAdded, added ? 201 : 200);
  });

  app.delete('/origins', async (c) => {
    const raw = c.req.query('origin') ?? '';
    const origin = normaliseOrigin(raw);
    if (!origin) {
      throw HttpError.validation(`"${raw}" is not an http(s) origin such as https://shop.example.com.`, [
        { message: 'origin must be an http(s) origin', in: 'origin', code: 'invalid_origin' },
      ]);
    }
    if (!(await removeOrigin(db, c.get('portalId'), origin))) {
      throw HttpError.notFound(`${origin} is not an allowed origin of this portal.`);
    }
    return c.body(null, 204);
  });

  return app;
}
