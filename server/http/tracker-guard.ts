import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { rateLimiter } from 'hono-rate-limiter';
import type { Kysely } from 'kysely';
import { normaliseOrigin } from '../../lib/shared';
import { isAllowedOrigin } from '../storage/portal-origins';
import { getPortal } from '../storage/portals';
import type { Database } from '../storage/schema';
import type { AppEnv } from './context';
import { HttpError } from './errors';

export interface TrackerLimits {
  /** Requests per client (portal + IP address) per window. */
  limit: number;
  windowMs: number;
}

/** Generous for real visitors (a page sends a config fetch and a few batches), tight for floods. */
export const DEFAULT_TRACKER_LIMITS: TrackerLimits = { limit: 300, windowMs: 60_000 };

function sameOrigin(c: Context, origin: string): boolean {
  try {
    return new URL(origin).host === c.req.header('host');
  } catch {
    return false;
  }
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Guards the public tracker endpoints `/t/{portalId}/...` (no API key): the portal must exist,
 * a browser's Origin must be one of the portal's allowed site origins (CORS answers only those),
 * and each client is rate limited (429 with Retry-After).
 */
export function trackerGuard(db: Kysely<Database>, limits: TrackerLimits): MiddlewareHandler<AppEnv>[] {
  const portal = createMiddleware<AppEnv>(async (c, next) => {
    const raw = c.req.param('portalId') ?? '';
    const portalId = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(portalId) || !(await getPortal(db, portalId))) {
      throw HttpError.notFound(`No portal ${raw}.`);
    }
    c.set('portalId', portalId);
    const origin = c.req.header('origin');
    // Requests without Origin come from servers, not browsers; pages served by this server (the
    // demo site) are same-origin. Everything else must be an allowed site origin.
    if (origin !== undefined && !sameOrigin(c, origin) && !(await allowed(origin, portalId))) {
      throw new HttpError(
        403,
        'FORBIDDEN',
        `The origin ${origin} is not allowed to send events to portal ${portalId}.`,
        [
          {
            message: 'add it with: npm run server -- origins add <origin>',
            in: 'header',
            code: 'origin_not_allowed',
          },
        ],
      );
    }
    await next();
  });
  const allowed = async (origin: string, portalId: number) => {
    const normalised = normaliseOrigin(origin);
    return normalised !== undefined && (await isAllowedOrigin(db, portalId, normalised));
  };
  const corsHeaders = cors({
    origin: async (origin, c) => ((await allowed(origin, c.get('portalId') as number)) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  const limiter = rateLimiter<AppEnv>({
    windowMs: limits.windowMs,
    limit: limits.limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => `${c.get('portalId')}:${clientAddress(c)}`,
    handler: () => {
      throw new HttpError(
        429,
        'RATE_LIMITS',
        'Too many tracker requests from this client; slow down and retry later.',
        [
          {
            message: `more than ${limits.limit} requests in ${limits.windowMs / 1000} s`,
            in: 'header',
            code: 'rate_limited',
          },
        ],
      );
    },
  });
  return [portal, corsHeaders, limiter];
}
