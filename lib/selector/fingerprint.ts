import type { Fingerprint } from '../shared/trigger';
import { LIMITS } from '../shared/limits';
import {
  accessibleName,
  ancestorTags,
  elementRole,
  elementText,
  FINGERPRINT_ATTRIBUTES,
  hrefPath,
  normaliseText,
  tagOf,
  TEXT_ATTRIBUTES,
} from '../matcher';
import { looksGenerated, stableClasses, stableId } from './stability';

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
 * allowlisted attributes, visible text, link target, role and accessible name, ancestor tags.
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
  return fingerprint;
}
