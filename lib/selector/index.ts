import type { ElementTrigger, Fingerprint, SelectorCandidate } from '../shared/trigger';
import { tagOf } from '../matcher';
import { createBudget, type Budget } from './budget';
import { TIER, uniqueCandidates, type RankedCandidate } from './candidates';
import { fingerprintOf } from './fingerprint';
import { locateElement, type ElementLocation } from './frame-path';
import { assessSelector } from './quality';
import { similarCandidates } from './similar';
import { structuralPath } from './structural';

export { attributeKind, IDENTIFYING_ATTRIBUTES, usableAttributes, type AttributeKind } from './attributes';
export { BudgetExceededError, createBudget, type Budget } from './budget';
export {
  addAnchoredPath,
  addAnchoredSelectors,
  addScopedSelectors,
  CandidatePool,
  compareCandidates,
  TIER,
  uniqueCandidates,
  type RankedCandidate,
} from './candidates';
export { fingerprintAttributes, fingerprintOf, twinsOf } from './fingerprint';
export { locateElement, type ElementLocation } from './frame-path';
export { isUsablePart, librarySelectors, MAX_CANDIDATES, MAX_COMBINATIONS } from './library';
export { assessSelector, type QualityAssessment, type QualityContext } from './quality';
export { similarCandidates } from './similar';
export {
  classNameKind,
  isStableDataAttribute,
  isUnstableClass,
  isUnstableId,
  looksGenerated,
  stableClasses,
  stableId,
  type ClassKind,
} from './stability';
export { structuralPath, typedStep } from './structural';
export { attributeSelector, classSelector, cssUnescape, idSelector, tagSelector } from './syntax';

/** Options of `describeElement`. */
export interface DescribeOptions {
  /** `unique` (default): exactly this element. `similar`: every element that looks like it. */
  mode?: 'unique' | 'similar';
  /**
   * The work it may do (default `WORK_BUDGET`); afterwards `budget.spent` tells what it did.
   * Tests pass their own to check the bound without timing anything.
   */
  budget?: Budget;
}

/**
 * Per-call budget in work units (`Budget`: elements looked at by selector queries). The picker
 * calls this on hover, so it must stay well under a frame or two: 1.5 million units are 30–50 ms
 * of Chromium 156 on the benchmark machine at worst (on the corpus's largest pages, yahoo-2 and
 * reddit, it spends 30 000–50 000 units per ms; one query over reddit's 10 000 elements takes
 * 0.1 ms). No element of bench:selectors spends more than about 330 000 units, so the budget only
 * bites on pathological pages, and the same selectors come out on any machine, however busy.
 */
export const WORK_BUDGET = 1_500_000;
/** Three to five alternatives give the matcher room to heal without bloating stored definitions. */
const MIN_ALTERNATIVES = 3;
const MAX_ALTERNATIVES = 5;
/** A broader alternative matching more than this is no evidence worth storing. */
const MAX_BROADER_MATCHES = 10;

function toCandidate({ selector, quality, reasons, matchCount }: RankedCandidate): SelectorCandidate {
  return { selector, quality, reasons: reasons.slice(0, 20), matchCount };
}

/** The best unique selector for a shadow host or iframe element, for the trigger's path. */
function hostSelector(host: Element, root: Document | ShadowRoot, budget: Budget): string | undefined {
  const [best] = uniqueCandidates(host, root, budget).filter((c) => c.matchCount === 1);
  return best?.selector ?? structuralPath(host, root);
}

/**
 * The signals a selector relies on, tags ignored: `.checkout` and `button.checkout` both rely
 * on the class `checkout` alone, so keeping both adds nothing when that class is renamed.
 */
function signals(selector: string): string {
  const blanked = selector.replace(/"/g, "'");
  const tokens = blanked.match(/[#.](?:\\.|[^\s>+~.#[:\\])+|\[[^\]]+\]|:nth-[a-z-]+\(\d+\)/g) ?? [];
  return [...new Set(tokens)].sort().join(' ');
}

/**
 * Picks up to MAX_ALTERNATIVES candidates, preferring ones whose signals differ from those
 * already kept (alternatives should fail independently), then topping up in rank order so
 * there are at least MIN_ALTERNATIVES when the element offers that many.
 */
function pickAlternatives(candidates: readonly RankedCandidate[], primary: RankedCandidate): SelectorCandidate[] {
  const seen = new Set([signals(primary.selector)]);
  const picked: RankedCandidate[] = [];
  const rest: RankedCandidate[] = [];
  for (const candidate of candidates) {
    const key = signals(candidate.selector);
    if (seen.has(key)) rest.push(candidate);
    else {
      seen.add(key);
      picked.push(candidate);
    }
  }
  const topUp = rest.slice(0, Math.max(0, MIN_ALTERNATIVES - picked.length));
  const chosen = new Set([...picked, ...topUp]);
  // Keep the overall ranking order among the chosen ones.
  return candidates
    .filter((c) => chosen.has(c))
    .slice(0, MAX_ALTERNATIVES)
    .map(toCandidate);
}

function uniqueTrigger(target: Element, location: ElementLocation, fingerprint: Fingerprint, budget: Budget) {
  const ranked = uniqueCandidates(target, location.root, budget);
  const [primary, ...others] = ranked.filter((c) => c.matchCount === 1);
  if (!primary) return undefined;
  // Unique alternatives first; then the narrowest broader ones, which the matcher uses as extra evidence.
  const broader = ranked
    .filter((c) => c.matchCount > 1 && c.matchCount <= MAX_BROADER_MATCHES && !c.reasons.includes('generic tag'))
    .sort((a, b) => a.matchCount - b.matchCount);
  const alternatives = pickAlternatives([...others, ...broader], primary);
  // The structural path is the strictest witness that the page around the element is unchanged,
  // which the matcher needs to tell identical elements apart by position.
  const structural = others.find((c) => c.tier === TIER.structural);
  if (structural && !alternatives.some((a) => a.selector === structural.selector)) {
    alternatives.splice(MAX_ALTERNATIVES - 1, alternatives.length, toCandidate(structural));
  }
  return trigger('unique', primary, alternatives, fingerprint, location, 1);
}

function similarTrigger(target: Element, location: ElementLocation, fingerprint: Fingerprint, budget: Budget) {
  const [primary, ...others] = similarCandidates(target, location.root, budget);
  if (!primary) {
    // Nothing else looks like it: the group is the element itself.
    const fallback = uniqueTrigger(target, location, fingerprint, budget);
    return fallback && { ...fallback, mode: 'similar' as const };
  }
  const alternatives = pickAlternatives(others, primary);
  return trigger('similar', primary, alternatives, fingerprint, location, primary.matchCount);
}

function trigger(
  mode: 'unique' | 'similar',
  primary: RankedCandidate,
  alternatives: SelectorCandidate[],
  fingerprint: Fingerprint,
  location: ElementLocation,
  matchCount: number,
): ElementTrigger {
  return {
    mode,
    selector: primary.selector,
    quality: primary.quality,
    reasons: primary.reasons.slice(0, 20),
    alternatives,
    fingerprint,
    path: location.path,
    matchCount,
  };
}

/** The last resort: a structural path if the element is attached, else its bare tag (matches nothing useful). */
function fallbackTrigger(
  target: Element,
  mode: 'unique' | 'similar',
  fingerprint: Fingerprint,
  location: ElementLocation | undefined,
): ElementTrigger {
  let selector: string | undefined;
  try {
    selector = location && structuralPath(target, location.root);
  } catch {
    selector = undefined;
  }
  const reasons = selector ? assessSelector(selector).reasons : ['element is not attached to a document'];
  return {
    mode,
    selector: selector ?? fingerprint.tag,
    quality: 'fragile',
    reasons,
    alternatives: [],
    fingerprint,
    path: location?.path ?? [],
    matchCount: selector ? 1 : 0,
  };
}

function safeFingerprint(target: Element): Fingerprint {
  try {
    return fingerprintOf(target);
  } catch {
    let tag = 'unknown';
    try {
      tag = tagOf(target) || tag;
    } catch {
      // Not even a tag name: keep the placeholder.
    }
    return { tag: tag.slice(0, 64), classes: [], attributes: {}, ancestors: [] };
  }
}

/**
 * Describes an element as a serialisable `ElementTrigger`: a primary selector, ranked
 * alternatives with quality verdicts and match counts (the structural path always among them,
 * as the matcher's witness that positions still hold), a fingerprint for self-healing (text,
 * link, image file, the heading or link of its card, ...), and the path through shadow roots
 * and same-origin iframes. In `unique` mode the primary selector matches exactly the target in
 * its root; in `similar` mode it matches the elements that look like it and `matchCount` says
 * how many. Own bounded candidate sources come first; css-selector-generator (bounded
 * combinatorics) runs only when they found nothing readable. Keeps to a work budget (~30 ms,
 * counted in work units so the result does not depend on machine speed; falling back to the
 * structural path) and never throws.
 */
export function describeElement(target: Element, options: DescribeOptions = {}): ElementTrigger {
  const mode = options.mode ?? 'unique';
  const budget = options.budget ?? createBudget(WORK_BUDGET);
  const fingerprint = safeFingerprint(target);
  let location: ElementLocation | undefined;
  try {
    location = locateElement(target, (host, root) => hostSelector(host, root, budget));
    if (location) {
      const described =
        mode === 'similar'
          ? similarTrigger(target, location, fingerprint, budget)
          : uniqueTrigger(target, location, fingerprint, budget);
      if (described) return described;
    }
  } catch {
    // Fall through to the structural path: describing must never break the picker.
  }
  return fallbackTrigger(target, mode, fingerprint, location);
}
