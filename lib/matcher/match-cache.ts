import type { ElementTrigger } from '../shared/trigger';

/** Finds a trigger's elements on the page; `findMatches` itself, or a cache in front of it. */
export type MatchFinder = (trigger: ElementTrigger) => Element[];

/**
 * Remembers `findMatches` results until the page's DOM next changes, so repeated clicks on an
 * unchanged page cost a lookup instead of a page search per definition. A MutationObserver on
 * the document drops everything on the first change (and is disconnected while nothing is
 * cached, so an idle page pays nothing). Triggers that reach into shadow roots or iframes are
 * never cached: a document observer does not see mutations inside those.
 */
export class MatchCache {
  private results = new WeakMap<ElementTrigger, Element[]>();
  private readonly observer: MutationObserver | undefined;
  private observing = false;
  private size = 0;

  constructor(
    private readonly root: Document,
    private readonly find: MatchFinder,
  ) {
    const Observer = root.defaultView?.MutationObserver;
    // A page that removed or broke MutationObserver gets correct, uncached matching.
    try {
      this.observer = typeof Observer === 'function' ? new Observer(() => this.clear()) : undefined;
    } catch {
      this.observer = undefined;
    }
  }

  /** The trigger's matches on the current page. */
  readonly get: MatchFinder = (trigger) => {
    if (!this.observer || (trigger.path?.length ?? 0) > 0) return this.find(trigger);
    const known = this.results.get(trigger);
    if (known) return known;
    const found = this.find(trigger);
    this.results.set(trigger, found);
    this.size++;
    if (!this.observing) {
      this.observer.observe(this.root, { subtree: true, childList: true, attributes: true, characterData: true });
      this.observing = true;
    }
    return found;
  };

  /** Forgets every result (the DOM changed, or the definitions were reloaded). */
  clear(): void {
    if (this.size === 0) return;
    this.results = new WeakMap();
    this.size = 0;
    this.observer?.disconnect();
    this.observing = false;
  }
}
