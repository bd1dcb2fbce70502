import { couldMatch, elementText, evaluateClick, evaluatePageView, findMatches, MatchCache } from '../matcher';
import type { CollectEvent } from '../shared/collect';
import { PICKER_ACTIVE_ATTRIBUTE, PICKER_HOST_TAG } from '../shared/picker-marker';
import type { TrackerConfig } from '../shared/tracker-config';
import { truncateProperties } from '../shared/truncate';
import { customCode as customCodeOf } from './custom-code';
import { ConsentState } from './consent';
import { clickIndex } from './click-index';
import { checkHealthLater } from './health';
import { offlineStore } from './offline';
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

const UTM = ['source', 'medium', 'campaign', 'term', 'content'];

/**
 * The default event properties (`DEFAULT_EVENT_PROPERTIES` in lib/shared) of every completion:
 * the page, its campaign parameters and the visitor's language and screen. Browser, OS and
 * device are derived by the server from the request's user agent, not sent.
 */
export function pageProperties(win: Window): Record<string, string | number> {
  const { location, document: doc, navigator: nav, screen } = win;
  const properties: Record<string, string | number> = {
    hs_url: location.href,
    hs_page_path: location.pathname,
    hs_page_title: doc.title,
  };
  if (doc.referrer) properties.hs_referrer = doc.referrer;
  if (nav.language) properties.hs_language = nav.language;
  if (screen) {
    properties.hs_screen_width = screen.width;
    properties.hs_screen_height = screen.height;
  }
  return Object.assign(properties, campaign(location.search));
}

/** The campaign parameters of a query string; the last answer is kept (every click asks again). */
let lastCampaign: { search: string; utm: Record<string, string> } | undefined;
function campaign(search: string): Record<string, string> {
  if (lastCampaign?.search !== search) {
    const query = new URLSearchParams(search);
    const utm: Record<string, string> = {};
    for (const name of UTM) {
      const value = query.get(`utm_${name}`);
      if (value) utm[`hs_utm_${name}`] = value;
    }
    lastCampaign = { search, utm };
  }
  return lastCampaign.utm;
}

/** The clicked (matched) element's default properties: its text, id, classes and link target. */
export function elementProperties(el: Element | null): Record<string, string> {
  const properties: Record<string, string> = {};
  if (!el) return properties;
  const text = elementText(el);
  const id = el.getAttribute('id');
  const classes = el.getAttribute('class')?.trim().replace(/\s+/g, ' ');
  const link = el.closest('a[href]');
  if (text) properties.hs_element_text = text;
  if (id) properties.hs_element_id = id;
  if (classes) properties.hs_element_class = classes;
  if (link) properties.hs_link_href = (link as HTMLAnchorElement).href || link.getAttribute('href')!;
  return properties;
}

/** Starts tracking on the page: click and page-view definitions, and the JS API. */
export function startTracker(win: Window, options: TrackerOptions): ClicktrailApi {
  const doc = win.document;
  const api = options.api.replace(/\/+$/, '');
  const customCode = customCodeOf(win, `${api}/t/${options.portalId}`);
  const transport = new Transport(
    `${api}/t/${options.portalId}/collect`,
    win,
    offlineStore(win, `clicktrail:unsent:${options.portalId}`),
  );
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
  /** The click definitions a click could fire (see click-index.ts), rebuilt with each config. */
  let candidates = clickIndex(definitions);
  let healthSampleRate = 0;
  let lastPageView = '';
  let cancelHealth = () => {};

  const completion = (eventName: string, properties: Record<string, unknown>): CollectEvent => ({
    eventName,
    occurredAt: new Date().toISOString(),
    uuid: randomId(),
    // The event's own properties win over the defaults of the same name.
    properties: truncateProperties({ ...pageProperties(win), ...properties }).properties,
  });

  // findMatches results stay valid until the DOM changes: repeated clicks on a still page are near free.
  const matches = new MatchCache(doc, (element, work) => findMatches(element, doc, work));

  const qualify = (name: string) => (name.startsWith('pe') ? name : `pe${options.portalId}_${name}`);

  const pageViews = safe(() => {
    const href = win.location.href;
    if (href === lastPageView) return;
    lastPageView = href;
    cancelHealth();
    cancelHealth = checkHealthLater(win, {
      rate: healthSampleRate,
      definitions: () => definitions,
      find: matches.get,
      send: (health) => transport.reportHealth(health),
    });
    for (const definition of definitions) {
      if (definition.trigger.kind !== 'pageview') continue;
      // One definition that cannot be evaluated is skipped; the others still fire.
      const firing = safe(evaluatePageView)(definition.trigger, href);
      if (firing) transport.enqueue(completion(definition.fullyQualifiedName, firing.properties));
    }
  });

  const pickers = doc.getElementsByTagName(PICKER_HOST_TAG);
  // Capture phase on the window: runs before the site's own handlers, so a site that stops
  // propagation (which breaks document-level trackers) cannot hide clicks from us.
  const onClick = safe((event: MouseEvent) => {
    // The site's own people picking elements with the Clicktrail extension are not visitors.
    // A live collection: reading it costs nothing, where a querySelector scans a big page on every click.
    for (const picker of Array.from(pickers)) if (picker.hasAttribute(PICKER_ACTIVE_ATTRIBUTE)) return;
    const path = event.composedPath();
    const href = win.location.href;
    for (const definition of candidates(path)) {
      const trigger = definition.trigger;
      // Most clicks are on nothing of the tracked element's kind: no need to search the page.
      if (trigger.kind !== 'click' || !couldMatch(trigger.element, path)) continue;
      const firing = safe(evaluateClick)(trigger, { root: doc, href, path, find: matches.get, known: matches.known });
      // Clicks often navigate away: send right away with sendBeacon.
      if (firing)
        transport.enqueue(
          completion(definition.fullyQualifiedName, { ...elementProperties(firing.element), ...firing.properties }),
          true,
        );
    }
  });
  win.addEventListener('click', onClick, { capture: true });

  // Same-origin iframes: their clicks never reach this window, so listen in each frame's document
  // (again after the frame navigates). A frame with its own tracker reports for itself.
  const framesHeard = new WeakSet<Document>();
  const listenInFrame = safe((target: EventTarget | null) => {
    // Not `instanceof`: a frame nested in a frame is an element of that frame's realm.
    if ((target as Element | null)?.localName !== 'iframe') return;
    const frame = target as HTMLIFrameElement;
    const frameWindow = frame.contentWindow;
    const frameDocument = frame.contentDocument; // null when cross-origin
    if (!frameWindow || !frameDocument || framesHeard.has(frameDocument) || 'clicktrail' in frameWindow) return;
    framesHeard.add(frameDocument);
    frameWindow.addEventListener('click', onClick, { capture: true });
    frameDocument.addEventListener('load', (event) => listenInFrame(event.target), { capture: true });
    for (const inner of Array.from(frameDocument.querySelectorAll('iframe'))) listenInFrame(inner);
  });
  // Load events do not reach the window, but a capturing listener on the document sees every frame's.
  doc.addEventListener('load', (event) => listenInFrame(event.target), { capture: true });
  for (const frame of Array.from(doc.querySelectorAll('iframe'))) listenInFrame(frame);

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
      if (!response.ok) throw new Error(`config ${response.status}`);
      const config = (await response.json()) as TrackerConfig;
      definitions = config.definitions;
      candidates = clickIndex(definitions);
      healthSampleRate = config.healthSampleRate ?? 0;
      matches.clear();
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
      if (typeof analytics !== 'boolean') throw new Error('consent({ analytics: boolean })');
      consent.decide(analytics);
    }),
  };
  return clicktrail;
}
