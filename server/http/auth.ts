import { createMiddleware } from 'hono/factory';
import type { Kysely } from 'kysely';
import { findActiveKey } from '../storage/api-keys';
import type { Database } from '../storage/schema';
import type { AppEnv } from './context';
import { HttpError } from './errors';

/** `Authorization: Bearer <api key>` → the key's portal; everything after is scoped to it. */
export function requireApiKey(db: Kysely<Database>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new HttpError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication required: send "Authorization: Bearer <api key>".',
        [
          {
            message: header ? 'malformed Authorization header' : 'missing Authorization header',
            in: 'header',
            code: 'auth',
          },
        ],
      );
    }
    const key = await findActiveKey(db, match[1]!);
    if (!key) {
      throw new HttpError(401, 'INVALID_AUTHENTICATION', 'The API key is not valid or has been revoked.', [
        { message: 'unknown or revoked API key', in: 'header', code: 'auth' },
      ]);
    }
    c.set('portalId', key.portal_id);
    c.set('apiKeyId', key.id);
    await next();
  });
}
