import { LIMITS, URL_PROPERTY_NAMES } from './limits';
import { PROPERTY_NAME_PATTERN } from './names';

export interface TruncatedProperties {
  properties: Record<string, string>;
  /** Original keys that were left out: unusable names, case duplicates, or past the 50th. */
  dropped: string[];
}

/**
 * The JS API's rule for properties over the limits (source material: "a JS API call is
 * truncated"): names are lower-cased and cut to 50 characters, values cut to 256 characters
 * (1024 for url/referrer), only 50 properties are kept. Names that still break the internal-name
 * pattern are dropped, and of names equal after lower-casing only the first in sorted order of
 * the original keys is kept, so the outcome never depends on object key order.
 */
export function truncateProperties(input: Record<string, unknown>): TruncatedProperties {
  const properties: Record<string, string> = {};
  const dropped: string[] = [];
  let kept = 0;
  for (const key of Object.keys(input).sort()) {
    const name = key.toLowerCase().slice(0, LIMITS.propertyNameMaxLength);
    const value = input[key];
    const usable =
      PROPERTY_NAME_PATTERN.test(name) &&
      !Object.hasOwn(properties, name) &&
      kept < LIMITS.propertiesPerCompletion &&
      (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean');
    if (!usable) {
      dropped.push(key);
      continue;
    }
    const max = URL_PROPERTY_NAMES.has(name) ? LIMITS.urlPropertyValueMaxLength : LIMITS.propertyValueMaxLength;
    properties[name] = String(value).slice(0, max);
    kept++;
  }
  return { properties, dropped };
}
