import { LIMITS } from '../shared/limits';
import { cssEscape } from './css';
import { isDocument, isElement, isShadowRoot, tagOf } from './dom';
import { queryAll } from './query';
import { elementText, normaliseText } from './text';

/**
 * Attributes that developers add on purpose for tests or analytics: they survive redesigns,
 * so a selector built on them is the best there is and a differing value is a contradiction.
 */
export const TEST_ATTRIBUTES: readonly string[] = [
  'data-testid',
  'data-test-id',
  'data-test',
  'data-cy',
  'data-qa',
  'data-track',
  'data-tracking',
  'data-analytics',
];

/** Attributes whose values describe what an element is rather than how it looks. */
export const FINGERPRINT_ATTRIBUTES: readonly string[] = [
  ...TEST_ATTRIBUTES,
  'name',
  'aria-label',
  'type',
  'role',
  'href',
  'title',
  'alt',
  'placeholder',
];

/** Attributes holding human-readable copy: they change with wording and translations. */
export const TEXT_ATTRIBUTES: readonly string[] = ['aria-label', 'title', 'alt', 'placeholder'];

/** The origin of a page address; the last answer is kept, since one page asks about its own address again and again. */
const lastOrigin = { base: '', origin: undefined as string | undefined };
function originOf(base: string): string | undefined {
  if (base === lastOrigin.base) return lastOrigin.origin;
  let origin: string | undefined;
  try {
    origin = new URL(base).origin;
  } catch {
    origin = undefined;
  }
  lastOrigin.base = base;
  lastOrigin.origin = origin;
  return origin;
}

/**
 * The link target in a comparable form: path, query and hash for same-origin links (so a
 * relative and an absolute spelling agree), `//host/path` for other origins, the raw value for
 * in-page anchors and `mailto:`/`tel:`; undefined for `javascript:` and missing hrefs.
 */
export function hrefPath(el: Element): string | undefined {
  const raw = el.getAttribute('href')?.trim();
  if (!raw || /^javascript:/i.test(raw)) return undefined;
  const limit = LIMITS.urlPropertyValueMaxLength;
  if (raw.startsWith('#')) return raw.slice(0, limit);
  let url: URL;
  try {
    url = new URL(raw, el.ownerDocument.baseURI);
  } catch {
    return raw.slice(0, limit);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return raw.slice(0, limit);
  const local = `${url.pathname}${url.search}${url.hash}`;
  const pageOrigin = originOf(el.ownerDocument.baseURI);
  const value = url.origin === pageOrigin ? local : `//${url.host}${local}`;
  return value.slice(0, limit);
}

const INPUT_ROLES: Record<string, string> = {
  button: 'button',
  submit: 'button',
  reset: 'button',
  image: 'button',
  checkbox: 'checkbox',
  radio: 'radio',
  range: 'slider',
  number: 'spinbutton',
  search: 'searchbox',
};

const TAG_ROLES: Record<string, string> = {
  button: 'button',
  select: 'combobox',
  textarea: 'textbox',
  nav: 'navigation',
  main: 'main',
  header: 'banner',
  footer: 'contentinfo',
  aside: 'complementary',
  form: 'form',
  ul: 'list',
  ol: 'list',
  li: 'listitem',
  table: 'table',
  tr: 'row',
  td: 'cell',
  th: 'columnheader',
  dialog: 'dialog',
  summary: 'button',
  h1: 'heading',
  h2: 'heading',
  h3: 'heading',
  h4: 'heading',
  h5: 'heading',
  h6: 'heading',
  img: 'img',
};

/** The explicit ARIA role, else the implicit role of common elements (a subset of HTML-AAM). */
export function elementRole(el: Element): string | undefined {
  const explicit = el.getAttribute('role')?.trim().split(/\s+/)[0]?.toLowerCase();
  if (explicit) return explicit.slice(0, 64);
  const tag = tagOf(el);
  if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : undefined;
  if (tag === 'input') return INPUT_ROLES[(el.getAttribute('type') ?? 'text').toLowerCase()] ?? 'textbox';
  return TAG_ROLES[tag];
}

function byId(el: Element, id: string): Element | null {
  const root = el.getRootNode();
  if (isDocument(root) || isShadowRoot(root)) return root.getElementById(id);
  return null;
}

function labelText(el: Element): string | undefined {
  const tag = tagOf(el);
  if (tag !== 'input' && tag !== 'select' && tag !== 'textarea') return undefined;
  const id = el.getAttribute('id');
  const root = el.getRootNode();
  if (id && (isDocument(root) || isShadowRoot(root))) {
    const label = queryAll(root, `label[for="${cssEscape(id)}"]`)[0];
    if (label) return elementText(label);
  }
  const wrapping = el.closest('label');
  return wrapping ? elementText(wrapping) : undefined;
}

/**
 * A simplified accessible name (accname): aria-label, aria-labelledby, alt, associated label,
 * the element's text, then title. Normalised and cut to the fingerprint limit.
 */
export function accessibleName(el: Element): string | undefined {
  const label = normaliseText(el.getAttribute('aria-label') ?? '');
  if (label) return label;
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = labelledBy
      .split(/\s+/)
      .map((id) => byId(el, id))
      .filter((node): node is Element => node !== null)
      .map((node) => elementText(node) ?? '')
      .join(' ');
    if (normaliseText(text)) return normaliseText(text);
  }
  const tag = tagOf(el);
  if (tag === 'img' || tag === 'area' || (tag === 'input' && el.getAttribute('type') === 'image')) {
    const alt = normaliseText(el.getAttribute('alt') ?? '');
    if (alt) return alt;
  }
  const fromLabel = labelText(el);
  if (fromLabel) return fromLabel;
  const text = elementText(el);
  if (text) return text;
  return normaliseText(el.getAttribute('title') ?? '') || undefined;
}

/** Tag names of the closest ancestors inside the element's root, nearest first. */
export function ancestorTags(el: Element, max = 10): string[] {
  const tags: string[] = [];
  for (let node = el.parentNode; node && isElement(node) && tags.length < max; node = node.parentNode) {
    tags.push(tagOf(node));
  }
  return tags;
}

const HEADING = /^h[1-6]$/;

/**
 * Tags that count as the same kind of element: heading levels change in redesigns (an `h4`
 * "Trending Topics" became an `h2`; checked on the timesofindia, wired.jp, pagesix, deadline
 * and github pairs of the corpus), every other tag only matches itself.
 */
export function sameKind(recorded: string, actual: string): boolean {
  return recorded === actual || (HEADING.test(recorded) && HEADING.test(actual));
}

/** The selector list of the tags `sameKind` accepts for a recorded tag. */
export function kindSelector(tag: string): string {
  return HEADING.test(tag) ? 'h1, h2, h3, h4, h5, h6' : cssEscape(tag);
}

function fileName(url: string | null | undefined): string | undefined {
  const raw = url?.trim().split(/[\s?#]/)[0];
  if (!raw || raw.startsWith('data:')) return undefined;
  const name = raw.slice(raw.lastIndexOf('/') + 1);
  return name.length >= 3 ? name.toLowerCase().slice(0, 200) : undefined;
}

/** The file name of an image: `src`, else the lazy-loading attributes sites use instead. */
function imageFile(img: Element): string | undefined {
  for (const name of ['src', 'data-src', 'data-lazy-src', 'data-original', 'srcset', 'data-srcset']) {
    const file = fileName(img.getAttribute(name));
    if (file) return file;
  }
  return undefined;
}

/**
 * The file name of the element's image, or of the first image inside it (an image link, a
 * logo button): what tells apart images and icon links that carry no text. Query strings and
 * folders are dropped, since CDNs add resizing parameters and move files between hosts.
 */
export function imageName(el: Element): string | undefined {
  if (tagOf(el) === 'img') return imageFile(el);
  const img = el.querySelector('img');
  return img ? imageFile(img) : undefined;
}

const CONTEXT_DEPTH = 6;
/** Elements looked at in all, so a context costs the same on a huge page as on a small one. */
const CONTEXT_VISITS = 300;

/** The next element after `el` in document order within `root`, entering `el` unless `skip`. */
function nextInside(el: Element, root: Element, skip: boolean): Element | null {
  if (!skip && el.firstElementChild) return el.firstElementChild;
  for (let node: Element | null = el; node && node !== root; node = node.parentElement) {
    if (node.nextElementSibling) return node.nextElementSibling;
  }
  return null;
}

/**
 * What tells an element apart from its identical siblings: the text of the first heading, or
 * else the target of the first link, in the smallest ancestor (up to six levels) that holds
 * one besides the element. Identical "Save", "Share" and "Add to cart" buttons of a list get
 * the title or the permalink of their own card. Checked on reddit comment toolbars, deadspin
 * and nytimes story cards and the demo shop; inserted wrapper divs do not change it. Each
 * level skips the subtree the previous one searched, and the walk is bounded.
 */
export function elementContext(el: Element): string | undefined {
  let visits = 0;
  let inner = el;
  let node = el.parentElement;
  for (let depth = 0; node && depth < CONTEXT_DEPTH; depth++, inner = node, node = node.parentElement) {
    const tag = tagOf(node);
    if (tag === 'body' || tag === 'html') return undefined;
    let link: string | undefined;
    for (let cur = node.firstElementChild; cur && visits < CONTEXT_VISITS; visits++) {
      if (cur === inner) {
        cur = nextInside(cur, node, true);
        continue;
      }
      const curTag = tagOf(cur);
      if (HEADING.test(curTag)) {
        const text = elementText(cur);
        if (text) return `h ${text.slice(0, 150)}`;
      } else if (link === undefined && curTag === 'a') link = hrefPath(cur);
      cur = nextInside(cur, node, false);
    }
    if (link !== undefined) return `a ${link.slice(0, 150)}`;
    if (visits >= CONTEXT_VISITS) return undefined;
  }
  return undefined;
}
