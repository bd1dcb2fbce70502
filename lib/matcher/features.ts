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
  let pageOrigin: string | undefined;
  try {
    pageOrigin = new URL(el.ownerDocument.baseURI).origin;
  } catch {
    pageOrigin = undefined;
  }
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
