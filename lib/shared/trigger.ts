import { z } from 'zod';
import { LIMITS } from './limits';

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

/** Where a definition applies: exact URL, path only, URL prefix, `*` wildcard or everywhere. */
export const urlRuleSchema = z.discriminatedUnion('match', [
  z.object({ match: z.literal('any') }),
  z.object({
    match: z.enum(['exact', 'path', 'prefix', 'wildcard']),
    value: z.string().min(1).max(LIMITS.urlPropertyValueMaxLength),
  }),
]);
export type UrlRule = z.infer<typeof urlRuleSchema>;

/** A definition's trigger: an element click or a page view, each limited to some URLs. */
export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('click'), element: elementTriggerSchema, url: urlRuleSchema }),
  z.object({ kind: z.literal('pageview'), url: urlRuleSchema }),
]);
export type Trigger = z.infer<typeof triggerSchema>;
