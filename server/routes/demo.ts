import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppDeps } from '../http/context';
import { firstPortal } from '../storage/portals';

const DEMO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo-site');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Stands in the demo pages' tracker tag for the id of the portal the demo reports to. */
const PORTAL_PLACEHOLDER = '__CLICKTRAIL_PORTAL_ID__';

/** The demo website under `/demo/`: a small shop with the tracker, to try Clicktrail on. */
export function demoRoutes({ db }: AppDeps) {
  const app = new Hono();
  app.get('/', (c) => c.redirect('/demo/index.html'));
  app.get('/:file{[a-z0-9-]+\\.(html|css|js|svg)}', async (c) => {
    const file = c.req.param('file');
    const type = TYPES[path.extname(file)];
    try {
      const body = await fs.readFile(path.join(DEMO_DIR, file));
      if (!file.endsWith('.html')) return c.body(new Uint8Array(body), 200, { 'Content-Type': type ?? 'text/plain' });
      const portal = await firstPortal(db);
      const html = body.toString('utf8').replaceAll(PORTAL_PLACEHOLDER, String(portal?.id ?? 0));
      return c.body(html, 200, { 'Content-Type': type ?? 'text/html' });
    } catch {
      return c.text('Not found', 404);
    }
  });
  return app;
}
