import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import {
  collectBodySchema,
  collectEventSchema,
  truncateProperties,
  type CollectResult,
  type CompletionInput,
  type TrackerConfig,
} from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { trackerGuard, type TrackerLimits } from '../http/tracker-guard';
import { readBodyText } from '../http/body';
import { HttpError } from '../http/errors';
import { listDefinitions } from '../storage/event-definitions';
import { anonymousAware, applyCollectPolicy } from '../privacy/collect-policy';
import { trackerPrivacy } from '../privacy/tracker-privacy';

const TRACKER_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.output/tracker/tracker.js');

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
export function trackerRoutes({ db, writer }: AppDeps, limits: TrackerLimits) {
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
    const privacy = await trackerPrivacy(db, portalId);
    const body = JSON.stringify({ portalId, definitions, privacy } satisfies TrackerConfig);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    // Revalidated on every page load (a cheap 304): a definition saved a moment ago must fire on
    // the very next page view, or users cannot tell whether their event works.
    c.header('Cache-Control', 'no-cache');
    c.header('Vary', 'Origin');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  /**
   * Stores one event of the tracker. Like HubSpot's JS API it is lenient where the HTTP API is
   * strict: properties the event does not define are left out instead of failing the event.
   */
  const store = async (portalId: number, input: CompletionInput, receivedAt: number): Promise<string | undefined> => {
    for (let attempt = 0; ; attempt++) {
      const result = await writer.submit({ portalId, receivedAt, inputs: [{ index: 0, path: '', input }], errors: [] });
      if (result.ok) return undefined;
      const rejectedProperties = result.errors.map((error) => /^properties\.(.+)$/.exec(error.in ?? '')?.[1]);
      if (attempt > 0 || rejectedProperties.some((name) => name === undefined)) {
        return result.errors.map((error) => error.message).join('; ');
      }
      const properties = { ...input.properties };
      for (const name of rejectedProperties) delete properties[name!];
      input = { ...input, properties };
    }
  };

  // Sent by the tracker as text/plain JSON (a "simple" request, so no preflight per batch).
  app.post('/:portalId/collect', async (c) => {
    const receivedAt = Date.now();
    let json: unknown;
    try {
      json = JSON.parse(await readBodyText(c));
    } catch {
      throw HttpError.validation('The request body is not valid JSON.', [
        { message: 'invalid JSON', in: 'body', code: 'invalid_json' },
      ]);
    }
    const body = collectBodySchema.safeParse(json);
    if (!body.success) throw HttpError.fromZod(body.error, 'collect request');
    const { utk, email, events } = body.data;
    const policy = await applyCollectPolicy(db, c.get('portalId'), {
      userAgent: c.req.header('user-agent'),
      utk,
      events: events.length,
    });
    if (policy) return c.json({ accepted: 0, rejected: [], dropped: policy.dropped } satisfies CollectResult);
    const result: CollectResult = { accepted: 0, rejected: [] };
    // Each event on its own: one bad event never costs the visitor the others.
    await Promise.all(
      events.map(async (raw, index) => {
        const event = collectEventSchema.safeParse(raw);
        const input = event.success
          ? anonymousAware(utk, {
              eventName: event.data.eventName,
              ...(email ? { email } : {}),
              occurredAt: event.data.occurredAt,
              uuid: event.data.uuid,
              properties: truncateProperties(event.data.properties).properties,
            })
          : event;
        const problem = input.success
          ? await store(c.get('portalId'), input.data, receivedAt)
          : (input.error.issues[0]?.message ?? 'invalid event');
        if (problem) result.rejected.push({ index, message: problem });
        else result.accepted++;
      }),
    );
    result.rejected.sort((a, b) => a.index - b.index);
    return c.json(result);
  });
  return app;
}
