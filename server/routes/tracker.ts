import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { TrackerConfig } from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { trackerGuard, type TrackerLimits } from '../http/tracker-guard';
import { listDefinitions } from '../storage/event-definitions';

const TRACKER_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.output/tracker/tracker.js');

/** Longest a definition change takes to reach visitors' browsers (config cache lifetime). */
const CONFIG_MAX_AGE_S = 60;

/** `GET /tracker.js`: the site tracking script, built by `npm run build` into `.output/tracker/`. */
export function trackerScriptRoute() {
  const app = new Hono<AppEnv>();
  app.get('/tracker.js', async (c) => {
    let script: Buffer;
    try {
      script = await fs.readFile(TRACKER_FILE);
    } catch {
      return c.body('/* Clicktrail tracker not built: run `npm run build`. */', 404, {
        'Content-Type': 'text/javascript; charset=utf-8',
      });
    }
    return c.body(new Uint8Array(script), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
    });
  });
  return app;
}

/** `/t/{portalId}/...`: what the tracker on a customer's site talks to (no API key). */
export function trackerRoutes({ db }: AppDeps, limits: TrackerLimits) {
  const app = new Hono<AppEnv>();
  app.use('/:portalId/*', ...trackerGuard(db, limits));

  app.get('/:portalId/config', async (c) => {
    const portalId = c.get('portalId');
    const definitions: TrackerConfig['definitions'] = [];
    let after: number | undefined;
    do {
      const page = await listDefinitions(db, portalId, { limit: 100, after, includeArchived: false });
      for (const definition of page.results) {
        if (definition.trigger) {
          definitions.push({
            name: definition.name,
            fullyQualifiedName: definition.fullyQualifiedName,
            trigger: definition.trigger,
          });
        }
      }
      after = page.nextAfter ? Number(page.nextAfter) : undefined;
    } while (after !== undefined);
    const body = JSON.stringify({ portalId, definitions } satisfies TrackerConfig);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', `public, max-age=${CONFIG_MAX_AGE_S}`);
    c.header('Vary', 'Origin');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  return app;
}
