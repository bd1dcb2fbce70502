import type { Fingerprint } from '../shared/trigger';
import { LIMITS } from '../shared/limits';
import {
  accessibleName,
  ancestorTags,
  elementContext,
  elementRole,
  elementText,
  FINGERPRINT_ATTRIBUTES,
  hrefPath,
  imageName,
  isDocument,
  isShadowRoot,
  normaliseText,
  queryAll,
  tagOf,
  TEXT_ATTRIBUTES,
} from '../matcher';
import { looksGenerated, stableClasses, stableId } from './stability';
import { attributeSelector, tagSelector } from './syntax';

/** Bound on the same-tag elements compared when looking for twins without a link or image to go by. */
const MAX_TWIN_SCAN = 500;
/** A context shared with any of this many twins is already not distinctive. */
const MAX_TWINS = 20;

/**
 * Other elements of the root that look exactly like `el` to the fingerprint (same tag, same
 * text, same link or image): menus duplicated for mobile, share links at the top and the
 * bottom of an article. At most `MAX_TWINS`; [] when the page is too large to tell.
 */
export function twinsOf(el: Element): Element[] {
  const root = el.getRootNode();
  if (!isDocument(root) && !isShadowRoot(root)) return [];
  const tag = tagSelector(el);
  const href = el.getAttribute('href');
  const src = el.getAttribute('src');
  let pool: Element[];
  if (href !== null) pool = queryAll(root, tag + attributeSelector('href', href));
  else if (src !== null) pool = queryAll(root, tag + attributeSelector('src', src));
  else {
    // Twins without a link or an image to go by share their classes (a list's identical buttons).
    const classes = el.getAttribute('class');
    pool = queryAll(root, tag).filter((other) => other.getAttribute('class') === classes);
    if (pool.length > MAX_TWIN_SCAN) return [];
  }
  const text = elementText(el);
  const twins: Element[] = [];
  for (const other of pool) {
    if (other !== el && elementText(other) === text) twins.push(other);
    if (twins.length >= MAX_TWINS) break;
  }
  return twins;
}

/**
 * The element's context, unless a twin shares it: then it tells nothing apart and would only
 * mislead the matcher when the page changes around one of them (checked on wapo-1, whose
 * header and footer menus repeat the same links under the same first link).
 */
function distinctContext(el: Element): string | undefined {
  const context = elementContext(el);
  if (context === undefined) return undefined;
  return twinsOf(el).some((twin) => elementContext(twin) === context) ? undefined : context;
}

/** The allowlisted attributes the element carries, copy normalised, generated names dropped. */
export function fingerprintAttributes(el: Element): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of FINGERPRINT_ATTRIBUTES) {
    const raw = el.getAttribute(name);
    if (raw === null) continue;
    const value = TEXT_ATTRIBUTES.includes(name) ? normaliseText(raw) : raw.trim();
    if (!value || (name === 'name' && looksGenerated(value))) continue;
    attributes[name] = value.slice(0, LIMITS.urlPropertyValueMaxLength);
  }
  return attributes;
}

/**
 * What identifies the element independently of any selector: tag, stable id and classes,
 * allowlisted attributes, visible text, link target, role and accessible name, ancestor tags,
 * image file name, and the heading or link of its card (context).
 * The text helpers come from lib/matcher so both sides compute them identically.
 */
export function fingerprintOf(el: Element): Fingerprint {
  const fingerprint: Fingerprint = {
    tag: tagOf(el).slice(0, 64),
    classes: stableClasses(el)
      .filter((name) => name.length <= 200)
      .slice(0, 50),
    attributes: fingerprintAttributes(el),
    ancestors: ancestorTags(el, 10).map((tag) => tag.slice(0, 64)),
  };
  const id = stableId(el);
  if (id !== undefined && id.length <= 200) fingerprint.id = id;
  const text = elementText(el);
  if (text) fingerprint.text = text;
  const href = hrefPath(el);
  if (href) fingerprint.href = href;
  const role = elementRole(el);
  if (role) fingerprint.role = role;
  const name = accessibleName(el);
  if (name) fingerprint.name = name;
  const image = imageName(el);
  if (image) fingerprint.image = image;
  const context = distinctContext(el);
  if (context) fingerprint.context = context;
  return fingerprint;
}
