import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { requireApiKey } from './http/auth';
import type { Kysely } from 'kysely';
import type { AppDeps, AppEnv } from './http/context';
import { CompletionWriter } from './storage/completions';
import type { Database } from './storage/schema';
import { errorBody, HttpError } from './http/errors';
import { buildOpenApiDocument } from './openapi';
import { accountRoutes } from './routes/account';
import { contactPrivacyRoutes } from './routes/contact-privacy';
import { privacySettingsRoutes } from './routes/privacy-settings';
import { trackingSettingsRoutes } from './routes/tracking-settings';
import { allowedOriginRoutes } from './routes/allowed-origins';
import { analyticsRoutes } from './routes/analytics';
import { contactReadRoutes } from './routes/contacts';
import { demoRoutes } from './routes/demo';
import { eventDefinitionRoutes } from './routes/event-definitions';
import { eventRoutes } from './routes/events';
import { importRoutes, type ImportRouteOptions } from './routes/imports';
import { trackerRoutes, trackerScriptRoute } from './routes/tracker';
import type { ClientAddressSource } from './http/client-address';
import { log } from './log';
import { workflowRoutes } from './routes/workflows';
import { CLICKTRAIL_VERSION } from './version';
import { WorkflowEngine } from './workflows/engine';
import { DEFAULT_TRACKER_LIMITS, type ExtraOrigins, type TrackerLimits } from './http/tracker-guard';

export interface AppOptions {
  trackerLimits?: TrackerLimits;
  /** Where the tracker's rate limits read the client address (`TRUST_PROXY`); the socket by default. */
  clientAddress?: ClientAddressSource;
  /** Serve the demo site under `/demo/` (`--demo`), its pages allowed to send to this portal. */
  demo?: ExtraOrigins;
  imports?: ImportRouteOptions;
  /** The workflow engine of this process (`startServer` starts it); a passive one when absent. */
  workflows?: WorkflowEngine;
}

/** The whole HTTP application; `main.ts` serves it, tests call it over a real socket. */
export function createApp(db: Kysely<Database>, options: AppOptions = {}) {
  const deps: AppDeps = {
    db,
    writer: new CompletionWriter(db),
    workflows: options.workflows ?? new WorkflowEngine(db, { pollIntervalMs: 0 }),
  };
  // strict: false — `/events/v3/events/` and `/events/v3/events` are one route: HubSpot's generated
  // clients call some routes with a trailing slash.
  const app = new Hono<AppEnv>({ strict: false });

  app.use(async (c, next) => {
    c.set('correlationId', randomUUID());
    await next();
    c.header('X-Correlation-Id', c.get('correlationId'));
  });

  app.get('/health', (c) => c.json({ status: 'ok', version: CLICKTRAIL_VERSION }));
  let openApi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApiDocument())));
  if (options.demo) app.route('/demo', demoRoutes(deps));
  app.route('/', trackerScriptRoute());
  app.route(
    '/t',
    trackerRoutes(deps, {
      limits: options.trackerLimits ?? DEFAULT_TRACKER_LIMITS,
      clientAddress: options.clientAddress ?? { kind: 'socket' },
      extraOrigins: options.demo,
    }),
  );

  const auth = requireApiKey(deps.db);
  app.use('/events/*', auth);
  app.use('/account-info/*', auth);
  app.use('/analytics/*', auth);
  app.use('/contacts/*', auth);
  app.use('/settings/*', auth);
  app.route('/events/v3/event-definitions', eventDefinitionRoutes(deps));
  app.route('/events/v3', eventRoutes(deps));
  app.route('/account-info/v3', accountRoutes(deps));
  app.route('/analytics/v1', analyticsRoutes(deps));
  app.route('/contacts/v1/contacts', contactReadRoutes(deps));
  app.route('/contacts/v1', contactPrivacyRoutes(deps));
  app.route('/settings/v1', privacySettingsRoutes(deps));
  app.route('/settings/v1', trackingSettingsRoutes(deps));
  app.route('/settings/v1', allowedOriginRoutes(deps));
  app.use('/imports/*', auth);
  if (options.imports) app.route('/imports/v1', importRoutes(db, options.imports));
  app.use('/automation/*', auth);
  app.route('/automation/v1', workflowRoutes(deps));

  app.notFound((c) => {
    const error = HttpError.notFound(`No route for ${c.req.method} ${c.req.path}.`);
    return c.json(errorBody(c, error), 404);
  });
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(errorBody(c, error), error.status);
    log('error', 'request failed', {
      correlationId: c.get('correlationId'),
      method: c.req.method,
      path: c.req.path,
      error,
    });
    const internal = new HttpError(
      500,
      'INTERNAL_ERROR',
      'Internal server error; the correlationId identifies it in the server log.',
    );
    return c.json(errorBody(c, internal), 500);
  });
  return app;
}
