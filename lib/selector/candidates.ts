import type { SelectorCandidate } from '../shared/trigger';
import { LIMITS } from '../shared/limits';
import { tagOf } from '../matcher';
import { usableAttributes } from './attributes';
import type { Budget } from './budget';
import { librarySelectors } from './library';
import { assessSelector } from './quality';
import { stableClasses, stableId } from './stability';
import { structuralPath, typedStep } from './structural';
import { attributeSelector, classSelector, idSelector, tagSelector } from './syntax';

/**
 * Preference order of candidate sources: test/analytics attributes, stable id, identifying
 * attributes (name, href, type, role), custom data attributes, stable classes, selectors
 * anchored on a repeated container or scoped by an ancestor, copy attributes (aria-label,
 * title, alt, placeholder), css-selector-generator's combinations, a positional path from the
 * nearest identifiable ancestor, and the structural path.
 */
export const TIER = {
  test: 0,
  id: 1,
  identifying: 2,
  data: 3,
  class: 4,
  context: 5,
  anchored: 5,
  scoped: 6,
  text: 6,
  library: 7,
  anchoredPath: 8,
  structural: 9,
} as const;

/** A selector candidate with what ranking needs to know. */
export interface RankedCandidate extends SelectorCandidate {
  matchCount: number;
  tier: number;
}

/** At most this many class names are combined; more classes rarely add identity. */
const MAX_CLASSES = 6;
/**
 * Work the css-selector-generator pass may do (about 4 ms of Chromium on a large page, see
 * `WORK_BUDGET` in index.ts). It runs only for the few elements our own sources found no
 * readable unique selector for, so it stays out of the typical (p95) cost.
 */
const LIBRARY_SHARE = 200_000;

const QUALITY_RANK = { good: 0, warning: 1, fragile: 2 } as const;

/** Orders candidates by verdict, then source tier, then length (shorter reads better), then text. */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  return (
    QUALITY_RANK[a.quality] - QUALITY_RANK[b.quality] ||
    a.tier - b.tier ||
    a.selector.length - b.selector.length ||
    (a.selector < b.selector ? -1 : a.selector > b.selector ? 1 : 0)
  );
}

/** Collects candidates verified against the live DOM: each must match the target in `root`. */
export class CandidatePool {
  readonly found = new Map<string, RankedCandidate>();

  constructor(
    readonly root: Document | ShadowRoot,
    readonly targetElement: Element,
    private readonly mode: 'unique' | 'similar',
    readonly budget: Budget,
  ) {}

  /** Whether the budget is spent: then only the structural path (`force`) is still tested. */
  get exhausted(): boolean {
    return this.budget.expired();
  }

  /**
   * Tests `selector` against the root and keeps it if it matches the target (and, with
   * `uniqueOnly`, nothing else); returns the matches. Once the budget is spent, only
   * `force`d selectors are still tested.
   */
  add(selector: string | undefined, tier: number, uniqueOnly = false, force = false): Element[] {
    if (!selector || selector.length > LIMITS.selectorMaxLength || this.found.has(selector)) return [];
    if (!force && this.budget.expired()) return [];
    const matches = this.budget.query(this.root, selector);
    // An engine that parses the selector differently (or not at all) gives no target: drop it.
    if (!matches.includes(this.targetElement) || (uniqueOnly && matches.length !== 1)) return matches;
    const { quality, reasons } = assessSelector(selector, { mode: this.mode, matchCount: matches.length });
    this.found.set(selector, { selector, quality, reasons, matchCount: matches.length, tier });
    return matches;
  }

  /** Candidates that match the target alone. */
  unique(): RankedCandidate[] {
    return [...this.found.values()].filter((c) => c.matchCount === 1);
  }
}

/** Compound selectors on the element itself, from its id, attributes and classes. */
export function addOwnSelectors(pool: CandidatePool, el: Element): void {
  const tag = tagSelector(el);
  const attributes = usableAttributes(el);
  for (const [name, value, kind] of attributes) {
    if (kind !== 'test') continue;
    // Test hooks are stable across tag changes (a button becoming a link): try without the tag first.
    pool.add(attributeSelector(name, value), TIER.test);
    pool.add(tag + attributeSelector(name, value), TIER.test);
  }
  const id = stableId(el);
  if (id !== undefined) pool.add(idSelector(id), TIER.id);
  for (const [name, value, kind] of attributes) {
    if (kind === 'identifying') pool.add(tag + attributeSelector(name, value), TIER.identifying);
    else if (kind === 'data') pool.add(tag + attributeSelector(name, value), TIER.data);
  }
  const classes = stableClasses(el).slice(0, MAX_CLASSES);
  for (const name of classes) pool.add(tag + classSelector([name]), TIER.class);
  if (classes.length > 1) pool.add(tag + classSelector(classes), TIER.class);
  for (const [name, value, kind] of attributes) {
    if (kind === 'text') pool.add(tag + attributeSelector(name, value), TIER.text);
  }
  // A lone tag (`nav`, `main`) is unique surprisingly often; it ranks as a warning.
  pool.add(tag, TIER.class);
}

/** How far up to look for a repeated container (a product card) and how many of its descendants to try. */
const ANCHOR_DEPTH = 4;
const ANCHOR_DESCENDANTS = 12;
const ANCHOR_SCAN = 200;
const ANCHOR_KINDS = new Set(['test', 'identifying', 'data', 'text']);
/** `:has()` queries are the costliest ones: at most this many per element, over at most this many subjects. */
const ANCHOR_QUERIES = 4;
const ANCHOR_MAX_SUBJECTS = 50;

/** Selectors for a descendant that may tell one repeated container from its siblings. */
function distinguishingParts(container: Element, target: Element): string[] {
  const parts: string[] = [];
  const descendants = container.querySelectorAll('*');
  for (let i = 0; i < descendants.length && i < ANCHOR_SCAN; i++) {
    const el = descendants[i];
    if (!el || el === target || el.contains(target)) continue;
    const id = stableId(el);
    if (id !== undefined) parts.push(idSelector(id));
    for (const [name, value, kind] of usableAttributes(el)) {
      // `type`/`role` repeat in every card; links, test hooks, data and alt texts tell cards apart.
      if (ANCHOR_KINDS.has(kind) && name !== 'type' && name !== 'role')
        parts.push(tagSelector(el) + attributeSelector(name, value));
    }
    if (parts.length >= ANCHOR_DESCENDANTS) break;
  }
  return parts.slice(0, ANCHOR_DESCENDANTS);
}

/**
 * For an element repeated in every card of a list (the "Add to cart" button), anchors on
 * what differs between cards: `li.product:has(a[href="/p/blue-hat"]) button.add-to-cart`.
 * Unlike `li:nth-of-type(2)` this keeps pointing at the same product when the list is
 * reordered or grows. Browsers without `:has()` make the selector invalid, and the matcher
 * then skips it.
 */
export function addAnchoredSelectors(pool: CandidatePool, target: Element): void {
  const classes = stableClasses(target).slice(0, MAX_CLASSES);
  const own = tagSelector(target) + classSelector(classes);
  // The browser checks `:has()` from each element `own` matches: with hundreds of them (every
  // button of reddit's comment pages) one query costs tens of milliseconds.
  if (pool.exhausted || pool.budget.query(pool.root, own).length > ANCHOR_MAX_SUBJECTS) return;
  let queries = 0;
  let container = target.parentElement;
  for (let depth = 0; container && depth < ANCHOR_DEPTH; depth++, container = container.parentElement) {
    if (pool.exhausted) return;
    if (!isRepeated(container)) continue;
    // A bare `div:has(...)` makes the browser test every div of the page: Chromium needs
    // 50+ ms for one such query on reddit's comment pages. Containers need their own handle.
    const base = ancestorPart(container);
    if (base === undefined || base.startsWith('#')) continue;
    for (const part of distinguishingParts(container, target)) {
      if (queries++ >= ANCHOR_QUERIES) return;
      if (pool.add(`${base}:has(${part}) ${own}`, TIER.anchored, true).length === 1) return;
    }
  }
}

/** Whether a sibling has the same tag: the container is one of a list (cards, rows, items). */
function isRepeated(el: Element): boolean {
  const tag = tagOf(el);
  for (let sibling = el.parentElement?.firstElementChild; sibling; sibling = sibling.nextElementSibling) {
    if (sibling !== el && tagOf(sibling) === tag) return true;
  }
  return false;
}

/** How far up `addScopedSelectors` looks, and how many of the element's own selectors it tries to scope. */
const SCOPE_DEPTH = 8;
const SCOPE_SELECTORS = 3;
const SCOPE_MAX_MATCHES = 50;

/** An ancestor's own distinguishing selector: id, test or data attribute, else tag and stable classes. */
function ancestorPart(el: Element): string | undefined {
  const id = stableId(el);
  if (id !== undefined) return idSelector(id);
  for (const [name, value, kind] of usableAttributes(el)) {
    if (kind === 'test' || kind === 'data') return tagSelector(el) + attributeSelector(name, value);
  }
  const classes = stableClasses(el).slice(0, MAX_CLASSES);
  return classes.length > 0 ? tagSelector(el) + classSelector(classes) : undefined;
}

/**
 * Scopes the element's good but ambiguous selectors by the nearest ancestor that tells them
 * apart: a link that appears twice on a page becomes `#sidebar a[href="/about"]`. A cheap,
 * bounded version of what css-selector-generator does, run first so a large page does not
 * spend the whole budget inside the library before any semantic selector is found.
 */
export function addScopedSelectors(pool: CandidatePool): void {
  // Non-unique candidates are all 'fragile' (they match several elements): rank by source instead.
  const ambiguous = [...pool.found.values()]
    .filter((c) => c.matchCount > 1 && c.matchCount <= SCOPE_MAX_MATCHES && !c.reasons.includes('generic tag'))
    .sort((a, b) => a.tier - b.tier || a.matchCount - b.matchCount)
    .slice(0, SCOPE_SELECTORS);
  for (const candidate of ambiguous) {
    let ancestor = pool.targetElement.parentElement;
    for (let depth = 0; ancestor && depth < SCOPE_DEPTH; depth++, ancestor = ancestor.parentElement) {
      if (pool.exhausted) return;
      const part = ancestorPart(ancestor);
      if (part && pool.add(`${part} ${candidate.selector}`, TIER.scoped, true).length === 1) break;
    }
  }
}

/** How far up `addAnchoredPath` looks for an ancestor it can name. */
const PATH_DEPTH = 10;

/**
 * A positional path from the nearest ancestor that has a unique handle of its own (stable id,
 * test or data attribute, stable classes): `#sidebar > ul > li:nth-of-type(3) > a`. Cheaper
 * and shorter than the library's positional search and than the full structural path, and it
 * survives changes outside that ancestor.
 */
export function addAnchoredPath(pool: CandidatePool, target: Element): void {
  const steps = [typedStep(target)];
  let ancestor = target.parentElement;
  for (let depth = 0; ancestor && depth < PATH_DEPTH; depth++, ancestor = ancestor.parentElement) {
    if (pool.exhausted) return;
    const part = ancestorPart(ancestor);
    if (part !== undefined && pool.budget.query(pool.root, part).length === 1) {
      pool.add(`${part} > ${steps.join(' > ')}`, TIER.anchoredPath, true);
      return;
    }
    steps.unshift(typedStep(ancestor));
  }
}

/**
 * Ranked unique-mode candidates for `target` within `root`: own compound selectors first,
 * then (while no good unique one exists) the same scoped by an ancestor and anchored on a
 * repeated container, a positional path from the nearest identifiable ancestor,
 * css-selector-generator's combinations only when nothing readable was found, and the
 * structural path, which is always unique.
 */
export function uniqueCandidates(target: Element, root: Document | ShadowRoot, budget: Budget): RankedCandidate[] {
  const pool = new CandidatePool(root, target, 'unique', budget);
  addOwnSelectors(pool, target);
  const hasGood = () => pool.unique().some((c) => c.quality === 'good');
  if (!hasGood()) addScopedSelectors(pool);
  if (!hasGood()) addAnchoredSelectors(pool, target);
  addAnchoredPath(pool, target);
  if (!pool.unique().some((c) => c.quality !== 'fragile') && !budget.expired()) {
    const semantic = librarySelectors(target, root, budget.share(LIBRARY_SHARE), {
      selectors: ['id', 'class', 'attribute', 'tag'],
      maxResults: 1,
    });
    for (const selector of semantic) pool.add(selector, TIER.library);
  }
  pool.add(structuralPath(target, root), TIER.structural, false, true);

  return [...pool.found.values()].sort(
    (a, b) => Number(a.matchCount !== 1) - Number(b.matchCount !== 1) || compareCandidates(a, b),
  );
}
