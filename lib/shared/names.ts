import { LIMITS } from './limits';

/** Internal event names: start with a letter, then lowercase letters, digits, `_` or `-`. */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;

/** Internal property names: start with a letter, then lowercase letters, digits or `_`. */
export const PROPERTY_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/**
 * Derives an internal event name from a display label, the way a user would expect:
 * "Add to cart (hero)" -> "add_to_cart_hero". Returns `undefined` when the label has no
 * usable characters (e.g. only emoji), so callers can ask for an explicit name.
 */
export function deriveEventName(label: string): string | undefined {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, LIMITS.eventNameMaxLength)
    .replace(/_+$/, '');
  return slug.length > 0 ? slug : undefined;
}

/** HubSpot-style fully qualified name of a custom event. */
export function fullyQualifiedName(portalId: number, name: string): string {
  return `pe${portalId}_${name}`;
}
