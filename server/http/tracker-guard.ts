import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { rateLimiter } from 'hono-rate-limiter';
import type { Kysely } from 'kysely';
import { normaliseOrigin } from '../../lib/shared';
import { isAllowedOrigin } from '../storage/portal-origins';
import { getPortal } from '../storage/portals';
import type { Database } from '../storage/schema';
import { clientAddress, type ClientAddressSource } from './client-address';
import type { AppEnv } from './context';
import { HttpError } from './errors';

export interface TrackerLimits {
  /** Requests per client address per window, in this process (see docs/trust-model.md). */
  limit: number;
  windowMs: number;
}

/** Generous for real visitors (a page sends a config fetch and a few batches), tight for floods. */
export const DEFAULT_TRACKER_LIMITS: TrackerLimits = { limit: 300, windowMs: 60_000 };

/** Origins allowed for one portal by this process only, not stored (the demo site under `--demo`). */
export interface ExtraOrigins {
  portalId: number;
  origins: ReadonlySet<string>;
}

export interface TrackerTrust {
  limits: TrackerLimits;
  clientAddress: ClientAddressSource;
  extraOrigins?: ExtraOrigins;
}

function forbidden(message: string, detail: string, code: string): HttpError {
  return new HttpError(403, 'FORBIDDEN', message, [{ message: detail, in: 'header', code }]);
}

/**
 * Guards the public tracker endpoints `/t/{portalId}/...` (no API key), cheapest check first:
 * 1. the rate limit per client address (429 with Retry-After), before any database lookup, so
 *    floods — to unknown portals too — cost no query;
 * 2. the portal must exist (404);
 * 3. a browser's `Origin` must be one of the portal's allowed site origins (403; CORS answers only
 *    those). `POST .../collect` must carry one: browsers always send it on a POST, so a missing
 *    Origin means a script that is not a browser on the customer's site. No origin is trusted
 *    implicitly, not even pages this server serves.
 */
export function trackerGuard(db: Kysely<Database>, trust: TrackerTrust): MiddlewareHandler<AppEnv>[] {
  const { limits } = trust;
  const limiter = rateLimiter<AppEnv>({
    windowMs: limits.windowMs,
    limit: limits.limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => clientAddress(c, trust.clientAddress),
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
  const allowed = async (origin: string, portalId: number) => {
    const normalised = normaliseOrigin(origin);
    if (normalised === undefined) return false;
    if (trust.extraOrigins?.portalId === portalId && trust.extraOrigins.origins.has(normalised)) return true;
    return isAllowedOrigin(db, portalId, normalised);
  };
  const portal = createMiddleware<AppEnv>(async (c, next) => {
    const raw = c.req.param('portalId') ?? '';
    const portalId = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(portalId) || !(await getPortal(db, portalId))) {
      throw HttpError.notFound(`No portal ${raw}.`);
    }
    c.set('portalId', portalId);
    const origin = c.req.header('origin') ?? sameOriginPage(c);
    if (origin === undefined) {
      if (requiresOrigin(c)) {
        throw forbidden(
          `Events for portal ${portalId} are accepted only from the browsers of its allowed sites; this request has no Origin header.`,
          'send it from a page of an allowed origin (npm run server -- origins add <origin>)',
          'origin_required',
        );
      }
    } else if (!(await allowed(origin, portalId))) {
      throw forbidden(
        `The origin ${origin} is not allowed to send events to portal ${portalId}.`,
        'add it with: npm run server -- origins add <origin>',
        'origin_not_allowed',
      );
    }
    await next();
  });
  const corsHeaders = cors({
    origin: async (origin, c) => ((await allowed(origin, c.get('portalId') as number)) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  return [limiter, portal, corsHeaders];
}

/**
 * Writes need an Origin, and so does the portal's custom code (the tracker loads it as a
 * crossorigin script); reading the config (a GET, public on the site anyway) does not.
 */
function requiresOrigin(c: Context): boolean {
  if (c.req.path.endsWith('/custom.js')) return true;
  return c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS';
}

/**
 * Browsers send no Origin on a same-origin GET, but say where it comes from in Sec-Fetch-Site:
 * such a request comes from a page of this server's own origin, which is then checked like any
 * other origin (allowed only when listed, or for the demo under `--demo`).
 */
function sameOriginPage(c: Context): string | undefined {
  return c.req.header('sec-fetch-site') === 'same-origin' ? new URL(c.req.url).origin : undefined;
}
