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
import { demoRoutes } from './routes/demo';
import { eventDefinitionRoutes } from './routes/event-definitions';
import { eventRoutes } from './routes/events';
import { trackerRoutes, trackerScriptRoute } from './routes/tracker';
import { DEFAULT_TRACKER_LIMITS, type TrackerLimits } from './http/tracker-guard';
import { workflowRoutes } from './routes/workflows';
import { WorkflowEngine } from './workflows/engine';

/** The whole HTTP application; `main.ts` serves it, tests call it over a real socket. */
export function createApp(
  db: Kysely<Database>,
  options: { trackerLimits?: TrackerLimits; workflows?: WorkflowEngine } = {},
) {
  const deps: AppDeps = {
    db,
    writer: new CompletionWriter(db),
    workflows: options.workflows ?? new WorkflowEngine(db, { pollIntervalMs: 0 }),
  };
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set('correlationId', randomUUID());
    await next();
    c.header('X-Correlation-Id', c.get('correlationId'));
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  let openApi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApiDocument())));
  app.route('/demo', demoRoutes(deps));
  app.route('/', trackerScriptRoute());
  app.route('/t', trackerRoutes(deps, options.trackerLimits ?? DEFAULT_TRACKER_LIMITS));

  const auth = requireApiKey(deps.db);
  app.use('/events/*', auth);
  app.use('/account-info/*', auth);
  app.use('/automation/*', auth);
  app.route('/events/v3/event-definitions', eventDefinitionRoutes(deps));
  app.route('/events/v3', eventRoutes(deps));
  app.route('/account-info/v3', accountRoutes(deps));
  app.route('/automation/v1', workflowRoutes(deps));

  app.notFound((c) => {
    const error = HttpError.notFound(`No route for ${c.req.method} ${c.req.path}.`);
    return c.json(errorBody(c, error), 404);
  });
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(errorBody(c, error), error.status);
    console.error(`[${c.get('correlationId')}] ${c.req.method} ${c.req.path} failed:`, error);
    const internal = new HttpError(
      500,
      'INTERNAL_ERROR',
      'Internal server error; the correlationId identifies it in the server log.',
    );
    return c.json(errorBody(c, internal), 500);
  });
  return app;
}
