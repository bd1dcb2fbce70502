import { TEST_ATTRIBUTES, TEXT_ATTRIBUTES } from '../matcher';
import { isStableDataAttribute, looksGenerated } from './stability';

/** Attributes that identify an element without being copy: good selector material. */
export const IDENTIFYING_ATTRIBUTES: readonly string[] = ['name', 'href', 'for', 'type', 'role'];

/** Longer values (data URLs, tracking-laden links) make unreadable and brittle selectors. */
const MAX_SELECTOR_VALUE_LENGTH = 200;

/** Which group an attribute falls in for selector building, or undefined when it is not usable. */
export type AttributeKind = 'test' | 'identifying' | 'data' | 'text';

/** Classifies an attribute for selectors: test hooks, identifying, custom data, or copy. */
export function attributeKind(name: string, value: string): AttributeKind | undefined {
  if (TEST_ATTRIBUTES.includes(name)) return value.trim() ? 'test' : undefined;
  if (!value.trim() || value.length > MAX_SELECTOR_VALUE_LENGTH) return undefined;
  if (IDENTIFYING_ATTRIBUTES.includes(name)) {
    // `javascript:void(0)` and a bare `#` say nothing about which link it is.
    if (name === 'href' && /^(?:javascript:|#$)/i.test(value.trim())) return undefined;
    // Session ids and cache-busting hashes in names and links change on every load.
    return (name === 'name' || name === 'href') && looksGenerated(value) ? undefined : 'identifying';
  }
  if (TEXT_ATTRIBUTES.includes(name)) return 'text';
  return isStableDataAttribute(name, value) ? 'data' : undefined;
}

/** The element's usable attributes as `[name, value, kind]`, in a stable order. */
export function usableAttributes(el: Element): [string, string, AttributeKind][] {
  const out: [string, string, AttributeKind][] = [];
  for (const attribute of Array.from(el.attributes)) {
    const kind = attributeKind(attribute.name, attribute.value);
    if (kind) out.push([attribute.name, attribute.value, kind]);
  }
  return out;
}
