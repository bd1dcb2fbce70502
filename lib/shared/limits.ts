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
  /** Custom JavaScript stored on a CUSTOM_SCRIPT event, in UTF-8 bytes. */
  customCodeMaxBytes: 32 * 1024,
} as const;

/** Properties whose values may be up to `urlPropertyValueMaxLength` long. */
export const URL_PROPERTY_NAMES: ReadonlySet<string> = new Set(['url', 'referrer', 'hs_url', 'hs_referrer']);

/**
 * Default event properties: every event accepts these without defining them, like HubSpot's
 * default event properties. Kept to what the tracker and typical integrations send (page context,
 * device, campaign, clicked element); anything else must be defined on the event first.
 */
export const DEFAULT_EVENT_PROPERTIES: Readonly<Record<string, 'string' | 'number'>> = {
  url: 'string',
  referrer: 'string',
  hs_url: 'string',
  hs_referrer: 'string',
  hs_page_title: 'string',
  hs_page_path: 'string',
  hs_user_agent: 'string',
  hs_language: 'string',
  hs_browser: 'string',
  hs_operating_system: 'string',
  hs_device_type: 'string',
  hs_screen_width: 'number',
  hs_screen_height: 'number',
  hs_utm_source: 'string',
  hs_utm_medium: 'string',
  hs_utm_campaign: 'string',
  hs_utm_term: 'string',
  hs_utm_content: 'string',
  hs_element_text: 'string',
  hs_element_id: 'string',
  hs_element_class: 'string',
  hs_link_href: 'string',
};
