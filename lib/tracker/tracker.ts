import { couldMatch, findMatches } from '../matcher';
import type { CollectEvent } from '../shared/collect';
import type { TrackerConfig } from '../shared/tracker-config';
import { truncateProperties } from '../shared/truncate';
import { matchesUrlRule } from '../shared/url-rules';
import { customCode as customCodeOf } from './custom-code';
import { ConsentState } from './consent';
import { report, safe } from './safe';
import { Transport } from './transport';
import { forgetVisitor, randomId, visitorId } from './visitor';

export interface TrackerOptions {
  /** Base URL of the Clicktrail server, e.g. https://events.example.com */
  api: string;
  portalId: number;
}

type Definition = TrackerConfig['definitions'][number];

/** The JS API a site calls (also reachable through the `_ctq` command queue). */
export interface ClicktrailApi {
  /** Sends a completion of a custom event; properties over the limits are truncated, never rejected. */
  track(eventName: string, properties?: Record<string, unknown>): void;
  /** Links this visitor to a contact. */
  identify(identity: { email?: string }): void;
  /** Fetches the definitions again (after the site changed them). */
  refresh(): Promise<void>;
  /** Used by `/t/{portalId}/custom.js`: runs one event's custom code, isolated from the others. */
  runCustomCode(eventName: string, code: (api: ClicktrailApi) => void): void;
  /**
   * The visitor's choice from the site's consent banner: `analytics: true` allows the visitor
   * cookie (kept for later pages), `false` refuses or revokes it (the cookie and unsent completions
   * are deleted). Global Privacy Control overrides a `true`.
   */
  consent(choice: { analytics?: boolean }): void;
}

/** Starts tracking on the page: click and page-view definitions, and the JS API. */
export function startTracker(win: Window, options: TrackerOptions): ClicktrailApi {
  const doc = win.document;
  const api = options.api.replace(/\/+$/, '');
  const customCode = customCodeOf(win, `${api}/t/${options.portalId}`);
  const transport = new Transport(`${api}/t/${options.portalId}/collect`, win);
  // Nothing is stored on the device until the config said which consent mode the portal uses.
  const consent = new ConsentState(win, (sending, revoked) => {
    if (revoked) transport.clear();
    if (sending === 'identified') transport.setSending(sending, visitorId(doc));
    else {
      forgetVisitor(doc);
      transport.setSending(sending);
    }
  });
  let definitions: Definition[] = [];
  let lastPageView = '';

  const completion = (eventName: string, properties: Record<string, unknown>): CollectEvent => ({
    eventName,
    occurredAt: new Date().toISOString(),
    uuid: randomId(),
    properties: truncateProperties({
      hs_url: win.location.href,
      hs_page_title: doc.title,
      ...(doc.referrer ? { hs_referrer: doc.referrer } : {}),
      ...properties,
    }).properties,
  });

  const qualify = (name: string) => (name.startsWith('pe') ? name : `pe${options.portalId}_${name}`);

  const pageViews = safe(() => {
    const href = win.location.href;
    if (href === lastPageView) return;
    lastPageView = href;
    for (const definition of definitions) {
      if (definition.trigger.kind === 'pageview' && matchesUrlRule(definition.trigger.url, href)) {
        transport.enqueue(completion(definition.fullyQualifiedName, {}));
      }
    }
  });

  // Capture phase on the window: runs before the site's own handlers, so a site that stops
  // propagation (which breaks document-level trackers) cannot hide clicks from us.
  win.addEventListener(
    'click',
    safe((event: MouseEvent) => {
      const path = new Set(event.composedPath());
      for (const definition of definitions) {
        const trigger = definition.trigger;
        if (trigger.kind !== 'click' || !matchesUrlRule(trigger.url, win.location.href)) continue;
        // Most clicks are on nothing of the tracked element's kind: no need to search the page.
        if (!couldMatch(trigger.element, path)) continue;
        const hit = findMatches(trigger.element, doc).some((element) => path.has(element));
        // Clicks often navigate away: send right away with sendBeacon.
        if (hit) transport.enqueue(completion(definition.fullyQualifiedName, {}), true);
      }
    }),
    { capture: true },
  );

  // Single-page apps: a history change is a page view too.
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = win.history[method].bind(win.history);
    win.history[method] = (...args: Parameters<History['pushState']>) => {
      original(...args);
      pageViews();
    };
  }
  win.addEventListener('popstate', () => pageViews());

  const refresh = async () => {
    try {
      const response = await win.fetch(`${api}/t/${options.portalId}/config`, { credentials: 'omit' });
      if (!response.ok) throw new Error(`config: HTTP ${response.status}`);
      const config = (await response.json()) as TrackerConfig;
      definitions = config.definitions;
      consent.configure(config.privacy ?? { consentMode: 'none', respectDoNotTrack: false });
      lastPageView = '';
      pageViews();
      customCode.load(config.customScript);
    } catch (error) {
      report(error);
    }
  };

  const clicktrail: ClicktrailApi = {
    track: safe((eventName: string, properties: Record<string, unknown> = {}) => {
      if (typeof eventName === 'string' && eventName) transport.enqueue(completion(qualify(eventName), properties));
    }),
    identify: safe(({ email }: { email?: string }) => {
      if (typeof email === 'string' && email.includes('@')) transport.email = email.trim().slice(0, 254);
    }),
    refresh,
    runCustomCode: safe((eventName: string, code: (api: ClicktrailApi) => void) => {
      if (typeof code === 'function') customCode.run(String(eventName), code, clicktrail);
    }),
    consent: safe((choice: { analytics?: boolean }) => {
      const analytics = (choice as { analytics?: unknown } | undefined)?.analytics;
      if (typeof analytics !== 'boolean') throw new Error('consent needs { analytics: true } or { analytics: false }');
      consent.decide(analytics);
    }),
  };
  return clicktrail;
}
