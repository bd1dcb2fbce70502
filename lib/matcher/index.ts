import type { ElementTrigger, Fingerprint } from '../shared/trigger';
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
/** With no lone selector hit, the fingerprint alone must carry this share of its maximum... */
const SEARCH_RATIO = 0.5;
/** ...and beat the runner-up by this share of the maximum (at least one point), else it is ambiguous. */
const MARGIN_RATIO = 0.15;
/** Each stored selector that still matches a candidate adds this much, for at most three selectors. */
const SELECTOR_HIT_BONUS = 1;
/** Bound on the fingerprint search so a broken definition cannot stall every click on a huge page. */
const MAX_SEARCH = 5000;

function collect(roots: readonly (Document | ShadowRoot)[], selector: string, tag: string): Element[] {
  const found: Element[] = [];
  for (const root of roots) {
    for (const el of queryAll(root, selector)) if (tagOf(el) === tag) found.push(el);
  }
  return found;
}

function ratio({ score, max }: CandidateScore): number {
  return max === 0 ? 1 : score / max;
}

function matchUnique(fp: Fingerprint, selectors: readonly string[], roots: readonly (Document | ShadowRoot)[]) {
  const scores = new Map<Element, CandidateScore | null>();
  const scoreOf = (el: Element): CandidateScore | null => {
    if (!scores.has(el)) scores.set(el, scoreCandidate(fp, el));
    return scores.get(el) ?? null;
  };
  const hits = new Map<Element, number>();

  for (const selector of selectors) {
    const found = collect(roots, selector, fp.tag);
    for (const el of found) hits.set(el, (hits.get(el) ?? 0) + 1);
    const [only] = found;
    if (only && found.length === 1) {
      const score = scoreOf(only);
      if (score && ratio(score) >= CONFIRM_RATIO) return [only];
    }
  }

  // Every selector broke, matched several elements or hit a contradicting one: search by fingerprint.
  const pool = collect(roots, cssEscape(fp.tag), fp.tag);
  if (pool.length > MAX_SEARCH) return [];
  let best: { el: Element; total: number; score: CandidateScore } | undefined;
  let runnerUp = Number.NEGATIVE_INFINITY;
  for (const el of pool) {
    const score = scoreOf(el);
    if (!score) continue;
    const total = score.score + SELECTOR_HIT_BONUS * Math.min(hits.get(el) ?? 0, 3);
    if (!best || total > best.total) {
      if (best) runnerUp = Math.max(runnerUp, best.total);
      best = { el, total, score };
    } else runnerUp = Math.max(runnerUp, total);
  }
  if (!best || best.score.max === 0 || ratio(best.score) < SEARCH_RATIO) return [];
  if (best.total - runnerUp < Math.max(1, MARGIN_RATIO * best.score.max)) return [];
  return [best.el];
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
    const selectors = [...new Set([trigger.selector, ...(trigger.alternatives ?? []).map((a) => a.selector)])];
    const fp = trigger.fingerprint;
    if (trigger.mode === 'similar') {
      for (const selector of selectors) {
        const found = collect(roots, selector, fp.tag);
        if (found.length > 0) return [...new Set(found)];
      }
      return [];
    }
    return matchUnique({ ...fp, classes: fp.classes ?? [], attributes: fp.attributes ?? {}, ancestors: fp.ancestors ?? [] }, selectors, roots);
  } catch {
    // A hostile or exotic DOM must never break the page's click handling.
    return [];
  }
}
