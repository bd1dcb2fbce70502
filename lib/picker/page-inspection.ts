/**
 * What the side panel asks of the page in front (issue 10): which Clicktrail tracker scripts it
 * loads, what each click event finds here, and an outline of one event's matches while the user
 * hovers or focuses it in the panel. The same matcher as the tracker and test mode; it only reads.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { findMatches, matchesConditions } from '../matcher';
import type { PageInspection, TriggerMatches } from '../messaging';
import { matchesUrlRule, type ClickTrigger } from '../shared';
import { rectOf } from './element-label';
import { IDENTITY_FRAME, toOverlay, type OverlayFrame } from './overlay-frame';
import type { Rect } from './picker-store';

/** Matches outlined at most: enough to see the pattern, bounded for huge pages. */
const MAX_OUTLINED = 300;

/** A tracker script, whatever server serves it: `…/tracker.js`, with or without a query. */
const TRACKER_SCRIPT = /\/tracker\.js(?:[?#]|$)/;

/** What the panel's hovered event finds on the page, drawn by the picker's UI. */
export interface PageHighlightState {
  rects: { rect: Rect; passing: boolean }[];
}

export type PageHighlightStore = StoreApi<PageHighlightState>;

export const createPageHighlightStore = (): PageHighlightStore =>
  createStore<PageHighlightState>()(() => ({ rects: [] }));

function evaluate(
  trigger: ClickTrigger,
  document: Document,
  href: string,
): { matches: TriggerMatches; found: Element[]; passing: Set<Element> } {
  const urlMatches = matchesUrlRule(trigger.url, href);
  let found: Element[] = [];
  try {
    found = findMatches(trigger.element, document);
  } catch {
    // A definition this matcher cannot evaluate (e.g. a selector the browser refuses) finds nothing.
  }
  const passing = new Set(found.filter((el) => matchesConditions(el, trigger.conditions)));
  return { matches: { urlMatches, found: found.length, passing: passing.size }, found, passing };
}

/** The page's tracker scripts and what each named click trigger finds on it. */
export function inspectPage(
  window: Window,
  triggers: readonly { name: string; trigger: ClickTrigger }[],
): PageInspection {
  const { document, location } = window;
  const trackerScripts = [...document.querySelectorAll<HTMLScriptElement>('script[src]')]
    .map((script) => script.src)
    .filter((src) => TRACKER_SCRIPT.test(src));
  const matches: Record<string, TriggerMatches> = {};
  for (const { name, trigger } of triggers) matches[name] = evaluate(trigger, document, location.href).matches;
  return { href: location.href, origin: location.origin, trackerScripts, matches };
}

/**
 * Outlines what `trigger` finds (dashed: excluded by its conditions); `null` clears the outline.
 * `frame` is where the overlay's boxes land (lib/picker/overlay-frame.ts).
 */
export function highlightTrigger(
  window: Window,
  store: PageHighlightStore,
  trigger: ClickTrigger | null,
  frame: OverlayFrame = IDENTITY_FRAME,
): TriggerMatches {
  if (!trigger) {
    store.setState({ rects: [] });
    return { urlMatches: false, found: 0, passing: 0 };
  }
  const { matches, found, passing } = evaluate(trigger, window.document, window.location.href);
  store.setState({
    rects: found.slice(0, MAX_OUTLINED).map((el) => ({ rect: toOverlay(rectOf(el), frame), passing: passing.has(el) })),
  });
  return matches;
}
