import { isElement, isShadowRoot, tagOf } from '../matcher';

/**
 * What a user means by clicking: the element that handles the click, not the `<span>` or `<svg>`
 * inside it. A pick (and the hover highlight) on an element's text, icon or image snaps to the
 * nearest of these. Checked on the corpus's navigation menus (text in a `<span>` inside `<a>`,
 * e.g. the prospectmagazine and wikipedia pages) and the demo shop.
 */
const MEANINGFUL = [
  'a[href]',
  'button',
  '[role="button"]',
  '[role="link"]',
  '[role="menuitem"]',
  '[role="menuitemcheckbox"]',
  '[role="menuitemradio"]',
  '[role="tab"]',
  '[role="option"]',
  '[role="checkbox"]',
  '[role="switch"]',
  'label',
  'summary',
  'input[type="submit"]',
  'input[type="button"]',
  'input[type="reset"]',
  'input[type="image"]',
  '[onclick]',
].join(', ');

/** Elements the user interacts with directly: never replaced by an ancestor. */
const FORM_CONTROLS = new Set(['input', 'select', 'textarea', 'option', 'video', 'audio']);

/** The page-level elements a snap must never reach (an `onclick` on `<body>` is a site-wide handler). */
const TOO_BROAD = new Set(['html', 'body']);

/** The nearest meaningful clickable element at or above `el` (within its own root), else `el`. */
export function meaningfulTarget(el: Element): Element {
  if (FORM_CONTROLS.has(tagOf(el))) return el;
  let found: Element | null;
  try {
    found = el.closest(MEANINGFUL);
  } catch {
    return el;
  }
  return found && !TOO_BROAD.has(tagOf(found)) ? found : el;
}

/** The element's parent for ↑: its parent element, or the host of the shadow root it sits in. */
export function parentTarget(el: Element): Element | null {
  const parent = el.parentElement ?? (isShadowRoot(el.parentNode) ? el.parentNode.host : null);
  return parent && isElement(parent) && !TOO_BROAD.has(tagOf(parent)) ? parent : null;
}

/** A child for ↓ when there is no history: the first element child with a size. */
export function firstChildTarget(el: Element): Element | null {
  for (let child = el.firstElementChild; child; child = child.nextElementSibling) {
    const rect = child.getBoundingClientRect();
    if (rect.width > 0 && rect.height > 0) return child;
  }
  return null;
}
