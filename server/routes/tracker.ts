import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import {
  collectBodySchema,
  collectEventSchema,
  customCodeErrorsBodySchema,
  truncateProperties,
  type CollectResult,
  type CompletionInput,
  type TrackerConfig,
} from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { trackerGuard, type TrackerTrust } from '../http/tracker-guard';
import { readBodyText } from '../http/body';
import { KeyedQueue } from '../http/keyed-queue';
import { HttpError } from '../http/errors';
import { listDefinitions } from '../storage/event-definitions';
import { buildCustomScript } from '../custom-code/script';
import { activeCustomCode, customCodeDefinitionIds, recordCustomCodeErrors } from '../storage/custom-code';
import { emailOfVisitorToken } from '../storage/visitor-links';
import { anonymousAware, applyCollectPolicy } from '../privacy/collect-policy';
import { trackerPrivacy } from '../privacy/tracker-privacy';
import { storeHealthReport } from '../ingest/health-reports';
import { getTrackingSettings } from '../storage/tracking-settings';

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
export function trackerRoutes({ db, writer }: AppDeps, trust: TrackerTrust) {
  const app = new Hono<AppEnv>();
  const visitorQueue = new KeyedQueue();
  app.use('/:portalId/*', ...trackerGuard(db, trust));

  app.get('/:portalId/config', async (c) => {
    const portalId = c.get('portalId');
    const definitions: TrackerConfig['definitions'] = [];
    let after: number | undefined;
    do {
      const page = await listDefinitions(db, portalId, { limit: 100, after, includeArchived: false });
      for (const definition of page.results) {
        if (definition.trigger && definition.status === 'ACTIVE') {
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
    const snippets = await activeCustomCode(db, portalId);
    const customScript = snippets.length > 0 ? buildCustomScript(portalId, snippets).hash : undefined;
    const { healthSampleRate } = await getTrackingSettings(db, portalId);
    const body = JSON.stringify({
      portalId,
      definitions,
      privacy,
      // Only when there is something to check: a portal without click events costs its visitors nothing.
      ...(healthSampleRate > 0 && definitions.some((d) => d.trigger.kind === 'click') ? { healthSampleRate } : {}),
      ...(customScript ? { customScript } : {}),
    } satisfies TrackerConfig);
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
   * The portal's custom code as one script the tracker adds with `crossorigin="anonymous"`, so the
   * browser sends the page's Origin and only allowed sites get it (the guard refuses the others).
   * A site with a Content-Security-Policy allows it by this URL; `?v=` (from the config) makes it
   * cacheable for good, and the same code always gives the same bytes, so `integrity` works.
   */
  // The guard requires an allowed Origin (or a same-origin page of an allowed origin) here.
  app.get('/:portalId/custom.js', async (c) => {
    const portalId = c.get('portalId');
    const script = buildCustomScript(portalId, await activeCustomCode(db, portalId));
    c.header('ETag', script.etag);
    c.header('Vary', 'Origin');
    c.header('Cache-Control', c.req.query('v') === script.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (c.req.header('if-none-match') === script.etag) return c.body(null, 304);
    return c.body(script.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  /** Errors custom code threw on the site: counted per event, day, path and error name. */
  app.post('/:portalId/errors', async (c) => {
    let json: unknown;
    try {
      json = JSON.parse(await readBodyText(c));
    } catch {
      throw HttpError.validation('The request body is not valid JSON.', [
        { message: 'invalid JSON', in: 'body', code: 'invalid_json' },
      ]);
    }
    const body = customCodeErrorsBodySchema.safeParse(json);
    if (!body.success) throw HttpError.fromZod(body.error, 'error report');
    const ids = await customCodeDefinitionIds(db, c.get('portalId'));
    const reports = body.data.errors.flatMap((error) => {
      const definitionId = ids.get(error.eventName);
      if (definitionId === undefined) return [];
      return [
        {
          definitionId,
          errorName: /^[A-Za-z_$][\w$]{0,63}$/.test(error.name) ? error.name : 'Error',
          message: error.message.slice(0, 256),
          path: (error.path.startsWith('/') ? error.path.split(/[?#]/)[0]! : '/').slice(0, 1024),
        },
      ];
    });
    if (reports.length > 0) await recordCustomCodeErrors(db, reports, Date.now());
    return c.json({ accepted: reports.length, ignored: body.data.errors.length - reports.length });
  });

  /**
   * Stores one event of the tracker. Like HubSpot's JS API it is lenient where the HTTP API is
   * strict: properties the event does not define are left out instead of failing the event.
   */
  const store = async (portalId: number, input: CompletionInput, receivedAt: number): Promise<string | undefined> => {
    for (let attempt = 0; ; attempt++) {
      const result = await writer.submit({
        portalId,
        receivedAt,
        inputs: [{ index: 0, path: '', input }],
        errors: [],
        keepVisitorLinks: true,
      });
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

  /**
   * A visitor token linked to an identified contact stays with it: a tracker request (no API key)
   * naming another email is refused, whole and visibly, rather than moving the visitor — and with
   * it every later anonymous event — to someone else's timeline. So one visitor token identifies
   * at most one contact. (The HTTP API, authenticated by a key, may re-link.)
   */
  const refuseRelink = async (portalId: number, utk: string, email: string) => {
    const linked = await emailOfVisitorToken(db, portalId, utk);
    if (typeof linked === 'string' && linked !== email.toLowerCase()) {
      throw new HttpError(
        409,
        'CONFLICT',
        'This visitor token already belongs to another identified contact; nothing was stored. A different person on this browser needs a new visitor token: clear the clicktrail_utk cookie when a user signs out.',
        [{ message: 'the visitor token is linked to another email', in: 'email', code: 'visitor_token_taken' }],
      );
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
    const { utk, email, events, health } = body.data;
    const portalId = c.get('portalId');
    const policy = await applyCollectPolicy(db, portalId, {
      userAgent: c.req.header('user-agent'),
      utk,
      events: events.length,
    });
    if (policy) return c.json({ accepted: 0, rejected: [], dropped: policy.dropped } satisfies CollectResult);
    // The guard let the request through only with an allowed Origin: the page the report is about.
    const origin = c.req.header('origin');
    const healthOutcome =
      health && origin ? await storeHealthReport(db, portalId, origin, health, receivedAt) : undefined;
    const collect = async () => {
      if (email !== undefined && utk !== undefined) await refuseRelink(portalId, utk, email);
      const outcome: CollectResult = { accepted: 0, rejected: [] };
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
            ? await store(portalId, input.data, receivedAt)
            : (input.error.issues[0]?.message ?? 'invalid event');
          if (problem) outcome.rejected.push({ index, message: problem });
          else outcome.accepted++;
        }),
      );
      return outcome;
    };
    // One request per visitor token at a time (in this process), so the link check always sees
    // what the previous request of that visitor stored. Anonymous (cookieless) requests have none.
    const result =
      events.length === 0
        ? { accepted: 0, rejected: [] }
        : utk === undefined
          ? await collect()
          : await visitorQueue.run(`${portalId}:${utk}`, collect);
    result.rejected.sort((a, b) => a.index - b.index);
    return c.json({ ...result, ...(healthOutcome ? { health: healthOutcome } : {}) } satisfies CollectResult);
  });
  return app;
}
