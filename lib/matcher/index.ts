import type { ElementTrigger, Fingerprint, SelectorQuality } from '../shared/trigger';
import { cssEscape } from './css';
import { tagOf } from './dom';
import { queryAll } from './query';
import { resolvePath } from './resolve-path';
import { scoreCandidate, type CandidateScore } from './score';

export { cssEscape } from './css';
export { isDocument, isElement, isShadowRoot, tagOf } from './dom';
export {
  accessibleName,
  ancestorTags,
  elementRole,
  FINGERPRINT_ATTRIBUTES,
  hrefPath,
  TEST_ATTRIBUTES,
  TEXT_ATTRIBUTES,
} from './features';
export { countMatches, queryAll } from './query';
export { resolvePath } from './resolve-path';
export { scoreCandidate, type CandidateScore } from './score';
export { compareText, elementText, normaliseText, type TextRelation } from './text';

/** A lone selector hit is confirmed when this share of the fingerprint agrees (the selector is evidence too). */
const CONFIRM_RATIO = 0.25;
/** With no confirmed selector hit, the fingerprint alone must carry this share of its maximum... */
const SEARCH_RATIO = 0.5;
/** ...and beat the runner-up by this share of the maximum (at least `MIN_MARGIN`), else it is ambiguous. */
const MARGIN_RATIO = 0.15;
const MIN_MARGIN = 1;
/**
 * Evidence from a selector that matched exactly one element, by the selector's verdict: a
 * `good` selector outweighs the positional ones that drift onto a neighbour after a list grows.
 * A selector matching several elements adds a quarter of that to each.
 */
const SELECTOR_WEIGHT: Record<SelectorQuality, number> = { good: 3, warning: 1, fragile: 0.5 };
const SHARED_HIT_FACTOR = 0.25;
/** Bound on the fingerprint search so a broken definition cannot stall every click on a huge page. */
const MAX_SEARCH = 5000;

type Root = Document | ShadowRoot;

interface WeightedSelector {
  selector: string;
  weight: number;
}

function collect(roots: readonly Root[], selector: string, tag: string): Element[] {
  const found = new Set<Element>();
  for (const root of roots) {
    for (const el of queryAll(root, selector)) if (tagOf(el) === tag) found.add(el);
  }
  return [...found];
}

function ratio({ score, max }: CandidateScore): number {
  return max === 0 ? 1 : score / max;
}

/** The best-supported element, or undefined when the runner-up is too close to call. */
function clearWinner(
  elements: Iterable<Element>,
  scoreOf: (el: Element) => CandidateScore | null,
  evidence: ReadonlyMap<Element, number>,
): { el: Element; score: CandidateScore } | undefined {
  let best: { el: Element; score: CandidateScore; total: number } | undefined;
  let runnerUp = Number.NEGATIVE_INFINITY;
  for (const el of elements) {
    const score = scoreOf(el);
    if (!score) continue;
    const total = score.score + (evidence.get(el) ?? 0);
    if (!best || total > best.total) {
      if (best) runnerUp = best.total;
      best = { el, score, total };
    } else runnerUp = Math.max(runnerUp, total);
  }
  if (!best || best.total - runnerUp < Math.max(MIN_MARGIN, MARGIN_RATIO * best.score.max)) return undefined;
  return best;
}

function matchUnique(fp: Fingerprint, selectors: readonly WeightedSelector[], roots: readonly Root[]): Element[] {
  const scores = new Map<Element, CandidateScore | null>();
  const scoreOf = (el: Element): CandidateScore | null => {
    if (!scores.has(el)) scores.set(el, scoreCandidate(fp, el));
    return scores.get(el) ?? null;
  };

  // Every stored selector votes; one drifting onto a neighbour must not win on its own.
  const evidence = new Map<Element, number>();
  const loneHits = new Set<Element>();
  for (const { selector, weight } of selectors) {
    const found = collect(roots, selector, fp.tag);
    const [only] = found;
    if (only && found.length === 1) loneHits.add(only);
    const share = found.length === 1 ? weight : weight * SHARED_HIT_FACTOR;
    for (const el of found) evidence.set(el, (evidence.get(el) ?? 0) + share);
  }

  const confirmed = [...loneHits].filter((el) => {
    const score = scoreOf(el);
    return score !== null && ratio(score) >= CONFIRM_RATIO;
  });
  if (confirmed.length === 1) return confirmed;
  if (confirmed.length > 1) {
    const winner = clearWinner(confirmed, scoreOf, evidence);
    return winner ? [winner.el] : [];
  }

  // Every selector broke, matched several elements or hit a contradicting one: search by fingerprint.
  const pool = collect(roots, cssEscape(fp.tag), fp.tag);
  if (pool.length > MAX_SEARCH) return [];
  const winner = clearWinner(pool, scoreOf, evidence);
  if (!winner || winner.score.max === 0 || ratio(winner.score) < SEARCH_RATIO) return [];
  return [winner.el];
}

/**
 * Finds the elements a trigger designates in `root` (the top document, or a shadow root the
 * trigger's path starts from). In `unique` mode it returns at most one element: the one a
 * stored selector finds and the fingerprint confirms, else the one the fingerprint clearly
 * singles out; when the evidence is ambiguous it returns [] rather than a wrong element. In
 * `similar` mode it returns every element of the recorded tag the first working selector
 * matches. Never throws: invalid selectors and unreachable frames yield [].
 */
export function findMatches(trigger: ElementTrigger, root: Document | ShadowRoot): Element[] {
  try {
    const roots = resolvePath(trigger.path ?? [], root);
    if (roots.length === 0) return [];
    const alternatives = trigger.alternatives ?? [];
    const fp = trigger.fingerprint;
    if (trigger.mode === 'similar') {
      for (const selector of new Set([trigger.selector, ...alternatives.map((a) => a.selector)])) {
        const found = collect(roots, selector, fp.tag);
        if (found.length > 0) return found;
      }
      return [];
    }
    const selectors: WeightedSelector[] = [
      { selector: trigger.selector, weight: SELECTOR_WEIGHT[trigger.quality] ?? SELECTOR_WEIGHT.fragile },
      ...alternatives.map((a) => ({
        selector: a.selector,
        weight: SELECTOR_WEIGHT[a.quality] ?? SELECTOR_WEIGHT.fragile,
      })),
    ];
    // Stored triggers may predate schema defaults; treat missing lists as empty.
    const complete = {
      ...fp,
      classes: fp.classes ?? [],
      attributes: fp.attributes ?? {},
      ancestors: fp.ancestors ?? [],
    };
    return matchUnique(complete, selectors, roots);
  } catch {
    // A hostile or exotic DOM must never break the page's click handling.
    return [];
  }
}
