import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const DEMO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo-site');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The demo website under `/demo/`: a small shop to try Clicktrail on. */
export function demoRoutes() {
  const app = new Hono();
  app.get('/', (c) => c.redirect('/demo/index.html'));
  app.get('/:file{[a-z0-9-]+\\.(html|css|js|svg)}', async (c) => {
    const file = c.req.param('file');
    const type = TYPES[path.extname(file)];
    try {
      const body = await fs.readFile(path.join(DEMO_DIR, file));
      return c.body(body, 200, { 'Content-Type': type ?? 'application/octet-stream' });
    } catch {
      return c.text('Not found', 404);
    }
  });
  return app;
}
