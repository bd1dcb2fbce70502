import type { SelectorQuality } from '../shared/trigger';
import { TEST_ATTRIBUTES, TEXT_ATTRIBUTES } from '../matcher';
import { blankStrings } from './syntax';

/** A verdict on how well a selector will survive a redeploy, with human-readable reasons. */
export interface QualityAssessment {
  quality: SelectorQuality;
  reasons: string[];
}

/** What the selector is expected to match: exactly one element, or a group. */
export interface QualityContext {
  mode?: 'unique' | 'similar';
  matchCount?: number;
}

/** Reasons worth a warning; fragility is decided below from the combination. */
const WARNING = new Set(['nth-child position', 'depends on text', 'long chain', 'selector list', 'generic tag']);

const STABLE_ATTRIBUTE_NAMES = new Set(['name', 'href', 'type', 'role', 'for']);
const COMBINATOR = /\s*[>+~]\s*|\s+/;

/**
 * Judges a selector from its syntax and match count, in the spirit of PostHog's toolbar
 * analyser: test attributes and stable ids are good, text-bearing attributes and a single
 * position are warnings, several positions or tag-only chains are fragile, and in unique
 * mode a selector that does not match exactly one element is fragile.
 */
export function assessSelector(selector: string, context: QualityContext = {}): QualityAssessment {
  const reasons: string[] = [];
  const blanked = blankStrings(selector);
  const attributeNames = [...blanked.matchAll(/\[\s*([^\]\s~|^$*=]+)/g)].map((m) => (m[1] ?? '').toLowerCase());
  const outside = blanked.replace(/\[[^\]]*\]/g, '[]').replace(/:[a-z-]+\([^)]*\)/gi, ':f()');

  if (attributeNames.some((name) => TEST_ATTRIBUTES.includes(name))) reasons.push('test attribute');
  if (/#[^\s>+~.#[:]/.test(outside)) reasons.push('stable id');
  if (attributeNames.some((name) => STABLE_ATTRIBUTE_NAMES.has(name))) reasons.push('stable attribute');
  if (attributeNames.some((name) => name.startsWith('data-') && !TEST_ATTRIBUTES.includes(name)))
    reasons.push('data attribute');
  if (/\.[^\s>+~.#[:]/.test(outside)) reasons.push('stable class');
  if (attributeNames.some((name) => TEXT_ATTRIBUTES.includes(name))) reasons.push('depends on text');

  const positions = (blanked.match(/:nth-(?:last-)?(?:child|of-type)\(/g) ?? []).length;
  const anchored = reasons.length > 0;
  if (positions === 1 && anchored) reasons.push('nth-child position');
  else if (positions > 0) reasons.push(positions === 1 ? 'nth-child position' : 'several nth-child positions');
  if (!anchored) reasons.push('generic tag');

  const steps = blanked.trim().split(COMBINATOR).filter(Boolean).length;
  if (steps > 4) reasons.push('long chain');
  if (blanked.includes(',')) reasons.push('selector list');

  const { matchCount, mode = 'unique' } = context;
  if (matchCount === 0) reasons.push('matches nothing');
  else if (matchCount !== undefined && matchCount > 1 && mode === 'unique')
    reasons.push(`matches ${matchCount} elements`);

  const fragile =
    reasons.some((r) => r.startsWith('matches ') || r === 'several nth-child positions') ||
    (!anchored && (positions > 0 || steps > 1));
  const quality: SelectorQuality = fragile ? 'fragile' : reasons.some((r) => WARNING.has(r)) ? 'warning' : 'good';
  return { quality, reasons };
}
