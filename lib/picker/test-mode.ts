/**
 * Test mode (issue 9): while the user uses their site normally, every click and page view is
 * evaluated against the portal's active definitions with exactly the tracker's code
 * (`evaluateClick`, `evaluatePageView`, `matchSignal`), and the result is shown in the overlay:
 * which events would fire, which signal found the element, and the properties that would be sent.
 * It observes only: clicks go through to the site, and it sends nothing anywhere.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { t } from '../i18n';
import { couldMatch, evaluateClick, evaluatePageView, isElement, matchSignal } from '../matcher';
import { DRY_RUN_MESSAGE, type EventDefinition, type HealthSignal, type Trigger } from '../shared';
import { elementLabel, rectOf } from './element-label';
import type { Rect } from './picker-store';

/** A definition test mode evaluates: what the tracker's config holds, plus the label to show. */
export interface TestDefinition {
  name: string;
  label: string;
  trigger: Trigger;
}

export interface WouldFire {
  name: string;
  label: string;
  /** How the element was found (clicks only). */
  signal?: Exclude<HealthSignal, 'none'>;
  properties: Record<string, string>;
}

export interface TestModeEntry {
  id: number;
  /** `custom`: a `clicktrail.track` call of custom code run from the panel ("run on this page now"). */
  kind: 'click' | 'pageview' | 'custom';
  /** What was clicked (`button “Add to cart”`), or the page's path and query for a page view. */
  subject: string;
  /** Where the clicked element is on screen, to flash it. */
  rect?: Rect;
  fired: WouldFire[];
  /**
   * For a click that fired nothing: the labels of the click events whose element is of the kind
   * the user clicked (so they probably meant one of those).
   */
  nearMisses: string[];
  at: number;
}

export interface TestModeState {
  active: boolean;
  /** Why test mode could not start or evaluate (e.g. the definitions could not be loaded). */
  error: string | null;
  /** Newest first, a handful only: toasts, not a log. */
  entries: TestModeEntry[];
  /** Definitions being evaluated, for the "testing N events" line. */
  definitionCount: number;
}

/** Toasts kept on screen at most. */
export const MAX_ENTRIES = 4;
/** How often a URL change that no event announces (a client-side route) is looked for. */
const URL_POLL_MS = 250;

export type TestModeStore = StoreApi<TestModeState>;

export interface TestModeOptions {
  window: Window;
  /** Clicktrail's own UI: clicks on it are not the site's. */
  host: Element;
  signal: AbortSignal;
  /** The portal's definitions (the background's `definitions/list`). */
  loadDefinitions: () => Promise<EventDefinition[]>;
}

/** The definitions the tracker's config would hold: active ones with a click or page-view trigger. */
export function testDefinitionsOf(definitions: readonly EventDefinition[]): TestDefinition[] {
  return definitions.flatMap((definition) =>
    definition.trigger && definition.status === 'ACTIVE'
      ? [{ name: definition.name, label: definition.label, trigger: definition.trigger }]
      : [],
  );
}

/** Evaluates one click on the page against the definitions, like the tracker does. */
export function evaluateTestClick(
  definitions: readonly TestDefinition[],
  doc: Document,
  href: string,
  path: readonly EventTarget[],
): Pick<TestModeEntry, 'fired' | 'nearMisses'> {
  const fired: WouldFire[] = [];
  const nearMisses: string[] = [];
  for (const definition of definitions) {
    const trigger = definition.trigger;
    if (trigger.kind !== 'click' || !couldMatch(trigger.element, path)) continue;
    let firing: ReturnType<typeof evaluateClick> = null;
    try {
      firing = evaluateClick(trigger, { root: doc, href, path });
    } catch {
      // The tracker skips a definition it cannot evaluate; so does test mode.
    }
    if (firing?.element) {
      fired.push({
        name: definition.name,
        label: definition.label,
        signal: matchSignal(trigger.element, firing.element, doc),
        properties: firing.properties,
      });
    } else nearMisses.push(definition.label);
  }
  return { fired, nearMisses: fired.length > 0 ? [] : nearMisses };
}

/** Evaluates a page view at `href` against the page-view definitions. */
export function evaluateTestPageView(definitions: readonly TestDefinition[], href: string): WouldFire[] {
  const fired: WouldFire[] = [];
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'pageview') continue;
    let firing: ReturnType<typeof evaluatePageView> = null;
    try {
      firing = evaluatePageView(definition.trigger, href);
    } catch {
      // Skipped, as in the tracker.
    }
    if (firing) fired.push({ name: definition.name, label: definition.label, properties: firing.properties });
  }
  return fired;
}

/** Test mode of one content script: `start` loads the definitions and listens; `stop` ends it. */
export function createTestMode(options: TestModeOptions) {
  const { window: win, host, signal } = options;
  const store = createStore<TestModeState>()(() => ({
    active: false,
    error: null,
    entries: [],
    definitionCount: 0,
  }));
  let definitions: TestDefinition[] = [];
  let listening: AbortController | null = null;
  let nextId = 1;
  let lastHref = '';

  const push = (entry: Omit<TestModeEntry, 'id' | 'at'>) =>
    store.setState(({ entries }) => ({
      entries: [{ ...entry, id: nextId++, at: Date.now() }, ...entries].slice(0, MAX_ENTRIES),
    }));

  const pageView = () => {
    const href = win.location.href;
    if (href === lastHref) return;
    lastHref = href;
    const url = new URL(href);
    push({
      kind: 'pageview',
      subject: `${url.pathname}${url.search}`,
      fired: evaluateTestPageView(definitions, href),
      nearMisses: [],
    });
  };

  /** A `track` call of a custom-code dry run (the page posts it: see lib/backend/dry-run.ts). */
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { label?: unknown; eventName?: unknown; properties?: unknown } | null;
    if (event.source !== win || typeof data !== 'object' || data === null || !(DRY_RUN_MESSAGE in data)) return;
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries((data.properties ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') properties[key.slice(0, 100)] = value.slice(0, 256);
    }
    const name = String(data.eventName).slice(0, 100);
    push({
      kind: 'custom',
      subject: String(data.label).slice(0, 100),
      fired: [{ name, label: `clicktrail.track('${name}')`, properties }],
      nearMisses: [],
    });
  };

  const onClick = (event: MouseEvent) => {
    const path = event.composedPath();
    if (path.includes(host)) return;
    const target = path.find((node): node is Element => isElement(node));
    if (!target) return;
    // Read now, before the site's handler changes the page (or navigates away).
    const result = evaluateTestClick(definitions, win.document, win.location.href, path);
    if (result.fired.length === 0 && result.nearMisses.length === 0) return;
    push({ kind: 'click', subject: elementLabel(target), rect: rectOf(target), ...result });
  };

  async function start(): Promise<void> {
    if (listening) return;
    listening = new AbortController();
    const own = listening;
    store.setState({ active: true, error: null, entries: [] });
    try {
      definitions = testDefinitionsOf(await options.loadDefinitions());
    } catch (error) {
      if (listening !== own) return;
      store.setState({ error: error instanceof Error ? error.message : t('picker.testMode.loadFailed') });
      return;
    }
    if (listening !== own) return;
    store.setState({ definitionCount: definitions.length });
    // Capture on the window, passive: we look at the click before the site can stop it, and never
    // prevent it — the site works exactly as without test mode.
    win.addEventListener('click', onClick, { capture: true, passive: true, signal: own.signal });
    win.addEventListener('popstate', pageView, { signal: own.signal });
    win.addEventListener('message', onMessage, { signal: own.signal });
    // A content script cannot hook the page's history.pushState (another JavaScript world), so
    // client-side route changes are noticed by watching the URL.
    const poll = win.setInterval(pageView, URL_POLL_MS);
    own.signal.addEventListener('abort', () => win.clearInterval(poll));
    lastHref = '';
    pageView();
  }

  function stop(): boolean {
    if (!listening) return false;
    listening.abort();
    listening = null;
    definitions = [];
    store.setState({ active: false, entries: [], error: null, definitionCount: 0 });
    return true;
  }

  signal.addEventListener('abort', stop);

  return {
    store,
    start,
    stop,
    /** The page's cookies (the site tracker's visitor token is among them). */
    cookies: () => win.document.cookie,
    origin: () => win.location.origin,
    dismiss: (id: number) => store.setState(({ entries }) => ({ entries: entries.filter((e) => e.id !== id) })),
  };
}

export type TestMode = ReturnType<typeof createTestMode>;
