import { isElement, tagOf } from '../matcher';
import { usableAttributes } from './attributes';
import type { Budget } from './budget';
import { CandidatePool, compareCandidates, TIER, type RankedCandidate } from './candidates';
import { librarySelectors } from './library';
import { stableClasses } from './stability';
import { attributeSelector, classSelector, tagSelector } from './syntax';

/** How far up to look for a container that gives the group its context (a product card, a list). */
const CONTEXT_DEPTH = 5;
/** Bound on the elements compared when building the signature group for the library. */
const MAX_GROUP_SCAN = 2000;

/** A selector for an ancestor built from what repeats: test attribute, data attribute or classes. */
function contextSelector(el: Element): string | undefined {
  for (const [name, value, kind] of usableAttributes(el)) {
    if (kind === 'test' || kind === 'data') return tagSelector(el) + attributeSelector(name, value);
  }
  const classes = stableClasses(el);
  return classes.length > 0 ? tagSelector(el) + classSelector(classes) : undefined;
}

/** Tag and stable classes of the element and its parent: what "looks the same" means for the library. */
function signature(el: Element): string {
  const own = `${tagOf(el)}.${stableClasses(el).sort().join('.')}`;
  const parent = el.parentElement;
  return parent ? `${own}<${tagOf(parent)}.${stableClasses(parent).sort().join('.')}` : own;
}

function signatureGroup(target: Element, root: Document | ShadowRoot, budget: Budget): Element[] {
  const wanted = signature(target);
  const all = budget.query(root, tagSelector(target));
  if (all.length > MAX_GROUP_SCAN) return [];
  return all.filter((el) => el === target || signature(el) === wanted);
}

/**
 * Candidates that generalise the target to the elements that look like it (same tag and the
 * same stable classes, attributes or container), e.g. every "Add to cart" button of a
 * product list. Only selectors matching two or more elements, all with the target's tag,
 * are kept; ranked narrowest first so a page-wide `button.btn` loses to
 * `li.product button.btn`.
 */
export function similarCandidates(target: Element, root: Document | ShadowRoot, budget: Budget): RankedCandidate[] {
  const pool = new CandidatePool(root, target, 'similar', budget);
  const tag = tagSelector(target);
  const classes = stableClasses(target);
  const attributes = usableAttributes(target).filter(([name]) => name !== 'href');

  for (const [name, value, kind] of attributes) {
    if (kind === 'test' || kind === 'data') pool.add(tag + attributeSelector(name, value), TIER[kind]);
  }
  if (classes.length > 0) pool.add(tag + classSelector(classes), TIER.class);

  let ancestor = target.parentElement;
  for (let depth = 0; ancestor && isElement(ancestor) && depth < CONTEXT_DEPTH; depth++) {
    const context = contextSelector(ancestor);
    if (context) {
      if (classes.length > 0) pool.add(`${context} ${tag}${classSelector(classes)}`, TIER.context);
      pool.add(`${context} ${tag}`, TIER.context);
      break;
    }
    ancestor = ancestor.parentElement;
  }

  for (const name of classes) pool.add(tag + classSelector([name]), TIER.class);
  for (const [name, value, kind] of attributes) {
    if (kind === 'identifying' || kind === 'text') pool.add(tag + attributeSelector(name, value), TIER[kind]);
  }

  if (!budget.expired()) {
    const group = signatureGroup(target, root, budget);
    if (group.length > 1) {
      const found = librarySelectors(group, root, budget, {
        selectors: ['class', 'attribute', 'tag'],
        maxResults: 2,
      });
      for (const selector of found) pool.add(selector, TIER.library);
    }
  }

  const sameTag = (c: RankedCandidate) => budget.query(root, c.selector).every((el) => tagOf(el) === tagOf(target));
  return [...pool.found.values()]
    .filter((c) => c.matchCount > 1 && sameTag(c))
    .sort((a, b) => a.matchCount - b.matchCount || compareCandidates(a, b));
}
