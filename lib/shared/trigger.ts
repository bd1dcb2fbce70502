import { z } from 'zod';
import { LIMITS } from './limits';
import { PROPERTY_NAME_PATTERN } from './names';
import { regexPatternProblem } from './regex-pattern';

export const selectorQualitySchema = z.enum(['good', 'warning', 'fragile']);
export type SelectorQuality = z.infer<typeof selectorQualitySchema>;

/** One CSS selector for the element, with a verdict on how well it will survive a redeploy. */
export const selectorCandidateSchema = z.object({
  selector: z.string().min(1).max(LIMITS.selectorMaxLength),
  quality: selectorQualitySchema,
  reasons: z.array(z.string().max(200)).max(20),
  /** How many elements it matched when generated (1 = it singled out the element). */
  matchCount: z.number().int().min(0).optional(),
});
export type SelectorCandidate = z.infer<typeof selectorCandidateSchema>;

/**
 * What identifies the element independently of any one selector; the matcher uses it to
 * confirm candidates and to find the element again when every selector broke.
 */
export const fingerprintSchema = z.object({
  tag: z.string().min(1).max(64),
  id: z.string().max(200).optional(),
  classes: z.array(z.string().max(200)).max(50).default([]),
  attributes: z.record(z.string().max(100), z.string().max(LIMITS.urlPropertyValueMaxLength)).default({}),
  text: z.string().max(LIMITS.fingerprintTextMaxLength).optional(),
  href: z.string().max(LIMITS.urlPropertyValueMaxLength).optional(),
  role: z.string().max(64).optional(),
  name: z.string().max(LIMITS.fingerprintTextMaxLength).optional(),
  /** Tag names of the closest ancestors, nearest first. */
  ancestors: z.array(z.string().max(64)).max(10).default([]),
  /** File name of the element's image, or of the first image inside it (image links, logos). */
  image: z.string().max(200).optional(),
  /** First heading text or link target of the nearest enclosing card: tells identical list buttons apart. */
  context: z.string().max(200).optional(),
});
export type Fingerprint = z.infer<typeof fingerprintSchema>;

/** A step from the top document into a shadow root or a same-origin iframe. */
export const frameStepSchema = z.object({
  kind: z.enum(['shadow', 'iframe']),
  /** Selector of the shadow host or iframe element in the enclosing root. */
  host: z.string().min(1).max(LIMITS.selectorMaxLength),
});
export type FrameStep = z.infer<typeof frameStepSchema>;

export const elementTriggerSchema = z.object({
  mode: z.enum(['unique', 'similar']).default('unique'),
  selector: z.string().min(1).max(LIMITS.selectorMaxLength),
  quality: selectorQualitySchema,
  reasons: z.array(z.string().max(200)).max(20).default([]),
  alternatives: z.array(selectorCandidateSchema).max(10).default([]),
  fingerprint: fingerprintSchema,
  /** Shadow roots and iframes to enter, outermost first; empty for the top document. */
  path: z.array(frameStepSchema).max(10).default([]),
  /** How many elements the selector matched when it was generated. */
  matchCount: z.number().int().min(0).optional(),
});
export type ElementTrigger = z.infer<typeof elementTriggerSchema>;

/** A URL-rule or condition value that is a regular expression must be safe to run on every page. */
const checkPattern = (value: { pattern: string }, ctx: z.RefinementCtx, path: (string | number)[]) => {
  const problem = regexPatternProblem(value.pattern);
  if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
};

/** A host name with an optional port: what a `site` rule holds. */
const SITE_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;

/**
 * Where a definition applies: exact URL, path only, URL prefix, `*` wildcard, regular
 * expression, every page of one site (host), or (kept for older definitions) everywhere.
 */
export const urlRuleSchema = z
  .discriminatedUnion('match', [
    z.object({ match: z.literal('any') }),
    z.object({
      match: z.enum(['exact', 'path', 'prefix', 'wildcard', 'regex', 'site']),
      /** The URL, path, prefix, pattern or regular expression; for `site`, the host name. */
      value: z.string().min(1).max(LIMITS.urlPropertyValueMaxLength),
    }),
  ])
  .superRefine((rule, ctx) => {
    if (rule.match === 'regex') checkPattern({ pattern: rule.value }, ctx, ['value']);
    if (rule.match === 'site' && !SITE_HOST.test(rule.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a site rule needs a host name like shop.example.com' });
    }
  });
export type UrlRule = z.infer<typeof urlRuleSchema>;

/** How a condition compares a text: the whole of it, a part of it, or a regular expression. */
export const conditionOperatorSchema = z.enum(['exact', 'contains', 'regex']);
export type ConditionOperator = z.infer<typeof conditionOperatorSchema>;

/** A condition on the clicked element's text or link target. */
export const textConditionSchema = z
  .object({
    operator: conditionOperatorSchema,
    value: z.string().min(1).max(LIMITS.propertyValueMaxLength),
    caseInsensitive: z.boolean().default(false),
  })
  .superRefine((condition, ctx) => {
    if (condition.operator === 'regex') checkPattern({ pattern: condition.value }, ctx, ['value']);
  });
export type TextCondition = z.infer<typeof textConditionSchema>;

/** Optional narrowing of the matched elements: by their text and by their link's `href`. */
export const clickConditionsSchema = z.object({
  text: textConditionSchema.optional(),
  href: textConditionSchema.optional(),
});
export type ClickConditions = z.infer<typeof clickConditionsSchema>;

/**
 * Where a property's value comes from when the event fires:
 * - `text`: the clicked element's own text;
 * - `attribute`: an attribute of the clicked element;
 * - `relative`: an element near the clicked one: its nearest ancestor matching `container`
 *   (e.g. the product card), then the first match of `selector` inside it (e.g. the card's
 *   title) — so every card of a `similar` trigger reports its own value; its text, or `attribute`;
 * - `query`: a query parameter of the page URL.
 */
export const pagePropertySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text') }),
  z.object({ kind: z.literal('attribute'), attribute: z.string().min(1).max(100) }),
  z.object({
    kind: z.literal('relative'),
    container: z.string().min(1).max(LIMITS.selectorMaxLength),
    selector: z.string().min(1).max(LIMITS.selectorMaxLength),
    attribute: z.string().min(1).max(100).optional(),
  }),
  z.object({ kind: z.literal('query'), parameter: z.string().min(1).max(200) }),
]);
export type PagePropertySource = z.infer<typeof pagePropertySourceSchema>;

/** A definition property the tracker reads from the page when the event fires. */
export const pagePropertySchema = z.object({
  /** The definition's property name (internal name rules). */
  name: z
    .string()
    .min(1)
    .max(LIMITS.propertyNameMaxLength)
    .regex(PROPERTY_NAME_PATTERN, 'property name must start with a lowercase letter and contain only a-z, 0-9 and _'),
  source: pagePropertySourceSchema,
  /** `number`: the first number in the value is sent (`$32.50` → `32.50`); nothing when there is none. */
  type: z.enum(['string', 'number']).default('string'),
});
export type PageProperty = z.infer<typeof pagePropertySchema>;

const pagePropertiesSchema = z
  .array(pagePropertySchema)
  .max(LIMITS.propertiesPerCompletion)
  .superRefine((properties, ctx) => {
    const seen = new Set<string>();
    properties.forEach((property, index) => {
      if (seen.has(property.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate property "${property.name}"` });
      }
      seen.add(property.name);
    });
  });

export const clickTriggerSchema = z.object({
  kind: z.literal('click'),
  element: elementTriggerSchema,
  url: urlRuleSchema,
  conditions: clickConditionsSchema.optional(),
  properties: pagePropertiesSchema.optional(),
});
export type ClickTrigger = z.infer<typeof clickTriggerSchema>;

export const pageViewTriggerSchema = z.object({
  kind: z.literal('pageview'),
  url: urlRuleSchema,
  /** Only URL query parameters: a page view has no clicked element. */
  properties: pagePropertiesSchema
    .refine((properties) => properties.every((property) => property.source.kind === 'query'), {
      message: 'a page-view event can only take properties from URL query parameters',
    })
    .optional(),
});
export type PageViewTrigger = z.infer<typeof pageViewTriggerSchema>;

/** A definition's trigger: an element click or a page view, each limited to some URLs. */
export const triggerSchema = z.discriminatedUnion('kind', [clickTriggerSchema, pageViewTriggerSchema]);
export type Trigger = z.infer<typeof triggerSchema>;
