/**
 * The one evaluation of a definition's trigger on a page, shared by the tracker (does this click
 * or page view fire the event, and with which properties?) and the extension (the picker's live
 * checks; test mode and health use it too): URL rule, then `findMatches`, then the text and
 * `href` conditions, then the page properties.
 */
import type { HealthSignal } from '../shared/health';
import type { ClickTrigger, PageViewTrigger } from '../shared/trigger';
import { matchesUrlRule } from '../shared/url-rules';
import { matchesConditions } from './conditions';
import { isElement } from './dom';
import { couldBeMatch, findMatches, matchSignal } from './index';
import type { MatchFinder } from './match-cache';
import type { MatchWork } from './match-work';
import { pagePropertyValues, readPageProperties, type PropertyReading } from './page-properties';

/** A click or page view that fires the event, with the properties read from the page. */
export interface Firing {
  /** The matched element the click landed on (null for a page view). */
  element: Element | null;
  properties: Record<string, string>;
}

export interface ClickContext {
  /** The document the trigger's path starts from (the top document of the tracker's window). */
  root: Document | ShadowRoot;
  /** The page URL the URL rule is checked against. */
  href: string;
  /** The click's composed path (`event.composedPath()`): the elements the click landed in. */
  path: readonly EventTarget[];
  /** How to find the trigger's elements (a `MatchCache` in the tracker); `findMatches` by default. */
  find?: MatchFinder;
  /** The trigger's elements when already known on this page (`MatchCache.known`): no search needed. */
  known?: (trigger: ClickTrigger['element']) => Element[] | undefined;
}

/**
 * Whether a click fires a click trigger: the page is under its URL rule, the click landed on (or
 * inside) one of the trigger's matches, and that element passes the conditions. Returns the
 * firing with its page properties, or null. Throws on a definition it cannot evaluate; the
 * tracker catches that per definition and skips it.
 */
export function evaluateClick(trigger: ClickTrigger, context: ClickContext): Firing | null {
  if (!matchesUrlRule(trigger.url, context.href)) return null;
  let matches = context.known?.(trigger.element);
  if (!matches) {
    // The page search only when an element the click landed in could be one of the matches.
    if (!context.path.some((target) => isElement(target) && couldBeMatch(trigger.element, target))) return null;
    matches = context.find ? context.find(trigger.element) : findMatches(trigger.element, context.root);
  }
  // A path holds a few dozen elements and a unique trigger one match: no Set per evaluation.
  const element = matches.find((el) => context.path.includes(el));
  if (!element || !matchesConditions(element, trigger.conditions)) return null;
  return { element, properties: pagePropertyValues(trigger.properties, element, context.href) };
}

/** Whether a page view at `href` fires a page-view trigger, with its URL query properties. */
export function evaluatePageView(trigger: PageViewTrigger, href: string): Firing | null {
  if (!matchesUrlRule(trigger.url, href)) return null;
  return { element: null, properties: pagePropertyValues(trigger.properties, null, href) };
}

/**
 * The selector health of a click trigger on a page: null when the page is not under its URL rule,
 * else how its trigger finds its element(s) — `none` when it finds nothing. Conditions are not
 * applied: they select among the elements (by text, by link target), while health asks whether the
 * trigger still finds the elements at all. Throws like `evaluateClick` on a definition it cannot evaluate,
 * and `OUT_OF_TIME` when `work`'s deadline passed (call it again with the same work to resume).
 */
export function checkTriggerHealth(
  trigger: ClickTrigger,
  root: Document | ShadowRoot,
  href: string,
  find?: MatchFinder,
  work?: MatchWork,
): HealthSignal | null {
  if (!matchesUrlRule(trigger.url, href)) return null;
  const [first] = find ? find(trigger.element, work) : findMatches(trigger.element, root, work);
  return first ? matchSignal(trigger.element, first, root, work) : 'none';
}

/** What the picker shows live about a click trigger on the current page. */
export interface TriggerPreview {
  /** Whether this page is under the URL rule. */
  urlMatches: boolean;
  /** Elements `findMatches` finds, before conditions. */
  found: Element[];
  /** Of those, the ones that pass the conditions. */
  passing: Element[];
  /** The page properties read for `clicked` (the picked element). */
  properties: PropertyReading[];
}

/** The live preview of a click trigger for the picker (same rules as `evaluateClick`). */
export function previewClickTrigger(
  trigger: ClickTrigger,
  root: Document | ShadowRoot,
  href: string,
  clicked: Element,
): TriggerPreview {
  const found = findMatches(trigger.element, root);
  return {
    urlMatches: matchesUrlRule(trigger.url, href),
    found,
    passing: found.filter((el) => matchesConditions(el, trigger.conditions)),
    properties: readPageProperties(trigger.properties, clicked, href),
  };
}
