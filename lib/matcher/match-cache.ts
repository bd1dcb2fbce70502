import type { ElementTrigger } from '../shared/trigger';
import type { MatchWork } from './match-work';

/**
 * Finds a trigger's elements on the page; `findMatches` itself, or a cache in front of it. With
 * `work`, a resumable run that may throw `OUT_OF_TIME` (see `MatchWork`).
 */
export type MatchFinder = (trigger: ElementTrigger, work?: MatchWork) => Element[];

/**
 * Remembers `findMatches` results until the page's DOM next changes, so repeated clicks on an
 * unchanged page cost a lookup instead of a page search per definition. A MutationObserver on
 * the document drops everything on the first change (and is disconnected while nothing is
 * cached, so an idle page pays nothing). Triggers that reach into shadow roots or iframes are
 * never cached: a document observer does not see mutations inside those.
 */
export class MatchCache {
  #results = new WeakMap<ElementTrigger, Element[]>();
  readonly #observer: MutationObserver | undefined;
  #observing = false;
  #size = 0;
  readonly #root: Document;
  readonly #find: MatchFinder;

  constructor(root: Document, find: MatchFinder) {
    this.#root = root;
    this.#find = find;
    const Observer = root.defaultView?.MutationObserver;
    // A page that removed or broke MutationObserver gets correct, uncached matching.
    try {
      this.#observer = typeof Observer === 'function' ? new Observer(() => this.clear()) : undefined;
    } catch {
      this.#observer = undefined;
    }
  }

  /** The trigger's matches on the current page (a resumable run with `work`, cached once it completes). */
  readonly get: MatchFinder = (trigger, work) => {
    if (!this.#observer || (trigger.path?.length ?? 0) > 0) return this.#find(trigger, work);
    const known = this.#results.get(trigger);
    if (known) return known;
    // An interrupted run throws before anything is cached.
    const found = this.#find(trigger, work);
    this.#results.set(trigger, found);
    this.#size++;
    if (!this.#observing) {
      this.#observer.observe(this.#root, { subtree: true, childList: true, attributes: true, characterData: true });
      this.#observing = true;
    }
    return found;
  };

  /** The trigger's matches when already found on the current page, else undefined (no search). */
  readonly known = (trigger: ElementTrigger): Element[] | undefined =>
    this.#observer && !((trigger.path?.length ?? 0) > 0) ? this.#results.get(trigger) : undefined;

  /** Forgets every result (the DOM changed, or the definitions were reloaded). */
  clear(): void {
    if (this.#size === 0) return;
    this.#results = new WeakMap();
    this.#size = 0;
    this.#observer?.disconnect();
    this.#observing = false;
  }
}
