import { LIMITS } from '../shared/limits';
import { cssEscape, isDocument, isElement, isShadowRoot, tagOf } from '../matcher';

/** `tag`, or `tag:nth-of-type(n)` when siblings share the tag: one step of a positional path. */
export function typedStep(el: Element): string {
  const tag = tagOf(el);
  let count = 0;
  let index = 0;
  for (let sibling = el.parentNode?.firstChild; sibling; sibling = sibling.nextSibling) {
    if (isElement(sibling) && tagOf(sibling) === tag) {
      count++;
      if (sibling === el) index = count;
    }
  }
  // Position only when needed: a lone `<ul>` stays `ul` and survives siblings of other tags.
  return count > 1 ? `${cssEscape(tag)}:nth-of-type(${index})` : cssEscape(tag);
}

function childStep(el: Element): string {
  let index = 0;
  for (let sibling: Node | null = el; sibling; sibling = sibling.previousSibling) if (isElement(sibling)) index++;
  return `:nth-child(${index})`;
}

function buildPath(target: Element, root: Document | ShadowRoot, step: (el: Element) => string): string | undefined {
  const steps: string[] = [];
  let el = target;
  for (;;) {
    if (isDocument(root) && el === root.documentElement) {
      steps.unshift(':root');
      break;
    }
    const parent = el.parentNode;
    steps.unshift(step(el));
    if (parent === root && isShadowRoot(root)) {
      // `:host > x` anchors at the top of the shadow tree in querySelectorAll (Chromium, Firefox, happy-dom).
      steps.unshift(':host');
      break;
    }
    if (!isElement(parent)) return undefined;
    el = parent;
  }
  return steps.join(' > ');
}

/**
 * A child-combinator path from the root to the element (`:root > body > ul > li:nth-of-type(2)
 * > button`, or `:host > ...` in a shadow root). Unique by construction, so it is the last
 * resort when no heuristic selector is unique; falls back to bare `:nth-child` steps when the
 * typed path exceeds the stored selector limit, and returns undefined for detached elements.
 */
export function structuralPath(target: Element, root: Document | ShadowRoot): string | undefined {
  const typed = buildPath(target, root, typedStep);
  if (typed === undefined || typed.length <= LIMITS.selectorMaxLength) return typed;
  const compact = buildPath(target, root, childStep);
  return compact !== undefined && compact.length <= LIMITS.selectorMaxLength ? compact : undefined;
}
