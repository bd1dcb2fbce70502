/** Limits from the source material and from the event-definition contract (DESIGN.md). */
export const LIMITS = {
  labelMaxLength: 100,
  eventNameMaxLength: 50,
  descriptionMaxLength: 1000,
  propertyNameMaxLength: 50,
  propertyValueMaxLength: 256,
  urlPropertyValueMaxLength: 1024,
  propertiesPerCompletion: 50,
  selectorMaxLength: 1000,
  fingerprintTextMaxLength: 200,
} as const;

/** Properties whose values may be up to `urlPropertyValueMaxLength` long. */
export const URL_PROPERTY_NAMES: ReadonlySet<string> = new Set(['url', 'referrer', 'hs_url', 'hs_referrer']);
