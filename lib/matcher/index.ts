import type { ElementTrigger, Fingerprint, SelectorQuality } from '../shared/trigger';
import { cssEscape, cssString } from './css';
import { isElement, tagOf } from './dom';
import { elementContext, hrefPath, kindSelector, sameKind, TEST_ATTRIBUTES, TEXT_ATTRIBUTES } from './features';
import { queryAll } from './query';
import { resolvePath } from './resolve-path';
import { sameContext, scoreCandidate, type CandidateScore } from './score';
import { elementText, normaliseText } from './text';
import { MatchWork, OUT_OF_TIME } from './match-work';

export { cssEscape, cssString } from './css';
export { isDocument, isElement, isShadowRoot, tagOf } from './dom';
export {
  accessibleName,
  ancestorTags,
  elementContext,
  elementRole,
  FINGERPRINT_ATTRIBUTES,
  hrefPath,
  imageName,
  kindSelector,
  sameKind,
  TEST_ATTRIBUTES,
  TEXT_ATTRIBUTES,
} from './features';
export { countMatches, queryAll } from './query';
export { resolvePath } from './resolve-path';
export { linkTargets, matchesConditions, testCondition } from './conditions';
export {
  evaluateClick,
  evaluatePageView,
  checkTriggerHealth,
  previewClickTrigger,
  type ClickContext,
  type Firing,
  type TriggerPreview,
} from './evaluate';
export { MatchCache, type MatchFinder } from './match-cache';
export { MatchWork, OUT_OF_TIME } from './match-work';
export { firstNumber, pagePropertyValues, readPageProperties, type PropertyReading } from './page-properties';
export { linkTargetKey, sameContext, sameLinkTarget, scoreCandidate, type CandidateScore } from './score';
export { compareText, elementText, normaliseText, type TextRelation } from './text';

/** A candidate that a non-positional stored selector singles out needs this share of the fingerprint... */
const CONFIRM_RATIO = 0.25;
/** ...any other candidate this share, found by fingerprint alone. */
const SEARCH_RATIO = 0.5;
/** The winner must beat the runner-up by this share of the maximum (at least `MIN_MARGIN`), else it is a tie. */
const MARGIN_RATIO = 0.15;
/**
 * A stored selector that still singles out one element which agrees with this share of the
 * fingerprint is taken without searching the page for rivals: a rival could not beat its evidence
 * (the selector's weight plus near-full agreement) by the margin. This is the common case — a page
 * that did not change since the pick — and it makes a check cost a few `querySelectorAll` calls
 * instead of scoring every element of the kind.
 */
const CONFIRMED_RATIO = 0.9;
const MIN_MARGIN = 1;
/**
 * Evidence from a non-positional selector that matched exactly one element, by the selector's
 * verdict; a selector matching several elements adds a quarter of that to each. Positional
 * selectors (`:nth-of-type`, structural paths) add no weight: after a list grows they point at
 * a neighbour, which is how peers end up tracking the wrong element. They only break ties
 * between identical elements, when every stored selector still agrees (see `agreedOn`).
 */
const SELECTOR_WEIGHT: Record<SelectorQuality, number> = { good: 3, warning: 1, fragile: 0.5 };
const SHARED_HIT_FACTOR = 0.25;
/** Bound on the fingerprint search so a broken definition cannot stall every click on a huge page. */
const MAX_SEARCH = 5000;

type Root = Document | ShadowRoot;

/** What each stored selector finds, queried on first use. */
interface Hits {
  get(selector: string): Element[];
}

interface StoredSelector {
  selector: string;
  weight: number;
  positional: boolean;
  /** It matched only the element when the trigger was made. */
  unique: boolean;
}

interface Scored {
  el: Element;
  score: CandidateScore;
  total: number;
}

/** Elements `selector` matches in any root, of the recorded tag (`exact`) or of the same kind. */
function collect(roots: readonly Root[], selector: string, tag: string, exact = false): Element[] {
  const found = new Set<Element>();
  for (const root of roots) {
    for (const el of queryAll(root, selector)) {
      if (exact ? tagOf(el) === tag : sameKind(tag, tagOf(el))) found.add(el);
    }
  }
  return [...found];
}

function ratio({ score, max }: CandidateScore): number {
  return max === 0 ? 1 : score / max;
}

/**
 * A query for the elements that could carry the fingerprint, narrower than its tag when the
 * fingerprint allows: a link with another target contradicts, so links are looked up by the
 * path (or host) of their target; elements with stable classes by any of those classes.
 */
function rivalSelector(fp: Fingerprint): string | undefined {
  const kind = kindSelector(fp.tag);
  // In-page anchors must match exactly (`#cite_ref-93`, wikipedia's thousands of footnote links).
  if (fp.href?.startsWith('#')) return `${kind}[href="${cssString(fp.href)}"]`;
  if (fp.href !== undefined) {
    const absolute = /^\/\/([^/?#]*)(.*)$/.exec(fp.href);
    const path = (absolute ? (absolute[2] ?? '') : fp.href).split(/[?#]/)[0]?.replace(/\/+$/, '') ?? '';
    const host = absolute?.[1]?.replace(/^www\./, '');
    const token = path.length >= 2 ? path : host;
    if (token) return `${kind}[href*="${cssString(token)}"]`;
  }
  if (fp.classes.length > 0 && fp.href === undefined && fp.text === undefined) {
    return fp.classes
      .slice(0, 6)
      .map((name) => `${kind}.${cssEscape(name)}`)
      .join(', ');
  }
  return undefined;
}

function rivals(fp: Fingerprint, hits: Hits): Element[] {
  const narrow = rivalSelector(fp);
  const found = narrow === undefined ? [] : hits.get(narrow);
  return narrow !== undefined && found.length > 0 ? found : hits.get(kindSelector(fp.tag));
}

/** Texts this long (and of several words) are specific enough to name one element on a page. */
const SPECIFIC_TEXT = 15;

/**
 * The one candidate that carries exactly the recorded link target (when specific: not the home
 * page) or exactly the recorded text (when long): a link's target and a headline's words are
 * their identity, so an icon link that lost its caption and classes (prospectmagazine's social
 * links) or a headline whose level and classes changed (its `h2` became an `h1`) is still it.
 */
function onlyExact(fp: Fingerprint, scored: readonly Scored[], work: MatchWork | undefined): Element | undefined {
  let same: (el: Element) => boolean;
  if (fp.href !== undefined && fp.href.replace(/^\/\/[^/]*/, '').replace(/[?#].*$/, '').length >= 2) {
    same = (el) => hrefPath(el) === fp.href;
  } else if (fp.text !== undefined && fp.text.length >= SPECIFIC_TEXT && fp.text.includes(' ')) {
    same = (el) => elementText(el) === fp.text;
  } else return undefined;
  let only: Element | undefined;
  let count = 0;
  for (const { el } of scored) {
    if (remembered(work?.exact, el, same, work)) {
      only = el;
      count++;
    }
  }
  return count === 1 ? only : undefined;
}

/** `compute(el)`, remembered in `memo` (a `MatchWork`'s) so a resumed run does not redo it. */
function remembered<T>(
  memo: Map<Element, T> | undefined,
  el: Element,
  compute: (el: Element) => T,
  work: MatchWork | undefined,
): T {
  if (memo?.has(el)) return memo.get(el)!;
  work?.spend();
  const value = compute(el);
  memo?.set(el, value);
  return value;
}

/**
 * Whether every stored selector that singled out the element when the trigger was made still
 * singles out `el`: the page around it has not moved, so even positions can be trusted.
 */
function agreedOn(el: Element, stored: readonly StoredSelector[], hits: Hits): boolean {
  const witnesses = stored.filter((s) => s.unique);
  return (
    witnesses.length > 0 &&
    witnesses.every((s) => {
      const found = hits.get(s.selector);
      return found.length === 1 && found[0] === el;
    })
  );
}

/**
 * Attributes the fingerprint records whenever the element carries them (non-empty): `name` is
 * left out because generated names are dropped when recording, `href` because the link target
 * is compared on its own.
 */
const ALWAYS_RECORDED = [...TEST_ATTRIBUTES, ...TEXT_ATTRIBUTES, 'type', 'role'];

/**
 * Whether `el` carries an identifying attribute the fingerprint would have recorded had the
 * picked element carried it: then `el` is another element, whatever its position says. Positions
 * are only a tie-break, and after an insertion before the target they name a neighbour (fuzz
 * siblings seeds 18 and 42: the stored `p:nth-of-type(2)` and `input:nth-of-type(2)` moved onto
 * a `<p title name>` and an `<input title>` whose text and ancestors tie with the bare target).
 */
function carriesUnrecorded(fp: Fingerprint, el: Element): boolean {
  return ALWAYS_RECORDED.some((name) => {
    if (fp.attributes[name] !== undefined) return false;
    const value = el.getAttribute(name);
    return value !== null && normaliseText(value) !== '';
  });
}

/** How far down a chain of only children `nestedTwin` looks for the element a wrapper was put around. */
const WRAPPER_DEPTH = 3;

/**
 * Whether `el` is a wrapper around another element that fits the fingerprint as well: a same-kind
 * element with the same text, reached through only element children, scoring within `margin`.
 * A div inserted around the picked div (the commonest layout refactor) takes over its position,
 * so the stored `a.primary > div` and structural path single out the wrapper, while text and
 * ancestors fit both (fuzz wrappers seed 11). Which one was picked cannot be told then.
 */
function nestedTwin(fp: Fingerprint, el: Element, score: CandidateScore, margin: number): boolean {
  const text = elementText(el);
  let inner = el;
  for (let depth = 0; depth < WRAPPER_DEPTH && inner.childElementCount === 1; depth++) {
    inner = inner.firstElementChild!;
    if (!sameKind(fp.tag, tagOf(inner)) || elementText(inner) !== text) continue;
    const own = scoreCandidate(fp, inner);
    if (own && score.score - own.score < margin) return true;
  }
  return false;
}

function matchUnique(
  fp: Fingerprint,
  stored: readonly StoredSelector[],
  roots: readonly Root[],
  work: MatchWork | undefined,
): Element[] {
  // Each stored selector is queried when first needed: the shortcut usually settles it with the
  // primary selector and the other non-positional ones, without the long positional paths.
  const queried = work?.queries ?? new Map<string, Element[]>();
  const hits: Hits = {
    get: (selector) => {
      let found = queried.get(selector);
      if (found === undefined) {
        work?.spend();
        found = collect(roots, selector, fp.tag);
        queried.set(selector, found);
      }
      return found;
    },
  };
  const confirmed = confirmedBySelectors(fp, stored, hits);
  if (confirmed) return [confirmed];

  const evidence = new Map<Element, number>();
  const singledOut = new Set<Element>();
  const counted = new Set<string>();
  for (const s of stored) {
    if (counted.has(s.selector)) continue;
    counted.add(s.selector);
    const found = hits.get(s.selector);
    if (s.positional || found.length === 0) continue;
    const [only] = found;
    if (only && found.length === 1) singledOut.add(only);
    const share = found.length === 1 ? s.weight : s.weight * SHARED_HIT_FACTOR;
    for (const el of found) evidence.set(el, (evidence.get(el) ?? 0) + share);
  }

  // Everything a selector found, plus every element that could carry the same fingerprint.
  const pool = new Set<Element>();
  for (const s of stored) for (const el of hits.get(s.selector)) pool.add(el);
  const others = rivals(fp, hits);
  if (others.length > MAX_SEARCH) return agreedFallback(fp, stored, hits);
  for (const el of others) pool.add(el);

  const scored: Scored[] = [];
  for (const el of pool) {
    let score = work?.scores.get(el);
    if (score === undefined) {
      work?.spend();
      score = scoreCandidate(fp, el);
      work?.scores.set(el, score);
    }
    if (score) scored.push({ el, score, total: score.score + (evidence.get(el) ?? 0) });
  }
  scored.sort((a, b) => b.total - a.total);
  const [best, second] = scored;
  if (!best || best.score.max === 0) return agreedFallback(fp, stored, hits);
  let exact: Element | undefined | null = null; // computed when first needed
  const enough = (c: Scored) =>
    ratio(c.score) >= (singledOut.has(c.el) ? CONFIRM_RATIO : SEARCH_RATIO) ||
    (c.score.score > 0 && c.el === (exact === null ? (exact = onlyExact(fp, scored, work)) : exact));

  const margin = Math.max(MIN_MARGIN, MARGIN_RATIO * best.score.max);
  // A winner that wraps an equally fitting element is no winner, unless every stored selector
  // still agrees on it (an unchanged page where the outer one was picked).
  const accept = (c: Scored): Element[] =>
    enough(c) && (!nestedTwin(fp, c.el, c.score, margin) || agreedOn(c.el, stored, hits)) ? [c.el] : [];
  const tied = scored.filter((c) => best.total - c.total < margin);
  if (tied.length === 1 || !second) return accept(best);

  // Several elements fit equally well (identical buttons of a list): their card tells them apart...
  if (fp.context !== undefined) {
    const { context } = fp;
    const inContext = tied.filter((c) => sameContext(context, remembered(work?.contexts, c.el, elementContext, work)));
    if (inContext.length === 1) return accept(inContext[0]!);
    if (inContext.length === 0) return [];
  }
  // ...or, on an unchanged page, the positions every stored selector still agrees on — never an
  // element with an identifying attribute the picked one did not have.
  const agreed = tied.find((c) => agreedOn(c.el, stored, hits) && !carriesUnrecorded(fp, c.el));
  return agreed ? accept(agreed) : [];
}

/**
 * The element the stored selectors single out, when nothing speaks against it — taken without
 * the rival search. Either (a) the primary selector is not positional, was unique when the trigger
 * was made and still finds just that element, and every other unique non-positional selector finds
 * it or nothing; or (b) every selector that was unique when the trigger was made still finds
 * exactly that one element (`agreedOn`: an unchanged page, even with positional selectors). In both
 * cases its card (when recorded) must be the same and it must agree almost fully with the
 * fingerprint (`CONFIRMED_RATIO`): a rival could then at best tie with it, and the full search
 * resolves such ties by the same agreement. Otherwise undefined: the full search decides.
 */
function confirmedBySelectors(fp: Fingerprint, stored: readonly StoredSelector[], hits: Hits): Element | undefined {
  const [primary] = stored;
  if (!primary) return undefined;
  let el: Element | undefined;
  const found = hits.get(primary.selector);
  if (!primary.positional && primary.unique && found.length === 1) {
    el = found[0]!;
    for (const s of stored) {
      if (s.unique && !s.positional && hits.get(s.selector).some((other) => other !== el)) return undefined;
    }
  } else {
    const [witness] = stored.filter((s) => s.unique);
    el = witness ? hits.get(witness.selector)?.[0] : undefined;
    // Positions alone: not an element with an identifying attribute the picked one lacked (a
    // neighbour that moved into its place; fuzz siblings seeds 18 and 42).
    if (!el || !agreedOn(el, stored, hits) || carriesUnrecorded(fp, el)) return undefined;
  }
  if (fp.context !== undefined && !sameContext(fp.context, elementContext(el))) return undefined;
  const score = scoreCandidate(fp, el);
  if (!score || ratio(score) < CONFIRMED_RATIO) return undefined;
  const margin = Math.max(MIN_MARGIN, MARGIN_RATIO * score.max);
  return nestedTwin(fp, el, score, margin) && !agreedOn(el, stored, hits) ? undefined : el;
}

/** When the fingerprint cannot be searched (too many elements, nothing to score), only full agreement counts. */
function agreedFallback(fp: Fingerprint, stored: readonly StoredSelector[], hits: Hits): Element[] {
  const [first] = stored.filter((s) => s.unique).map((s) => hits.get(s.selector)?.[0]);
  if (!first || !agreedOn(first, stored, hits) || carriesUnrecorded(fp, first)) return [];
  if (fp.context !== undefined && !sameContext(fp.context, elementContext(first))) return [];
  const score = scoreCandidate(fp, first);
  return score && ratio(score) >= CONFIRM_RATIO ? [first] : [];
}

/**
 * Whether any of `targets` could be an element `findMatches(trigger, …)` returns. It only ever
 * returns elements of the fingerprint's kind (its tag; any heading for a heading), so when none of
 * the targets is of that kind the page needs no search. The tracker asks this of a click's path
 * before it pays for `findMatches`, which searches the whole page.
 */
export function couldMatch(trigger: ElementTrigger, targets: Iterable<unknown>): boolean {
  const tag = trigger.fingerprint.tag;
  for (const target of targets) {
    if (isElement(target) && sameKind(tag, tagOf(target))) return true;
  }
  return false;
}

/**
 * Whether `el` could be one of the elements `findMatches(trigger, …)` returns, judged from the
 * element alone: a necessary condition, cheap, and never false for an element `findMatches` would
 * return. In `unique` mode `findMatches` returns only an element whose fingerprint score is not a
 * contradiction and is above zero (every acceptance threshold implies that); in `similar` mode
 * only elements of exactly the recorded tag. The tracker asks this of the elements a click landed
 * in, so a click pays for the page search only for the definitions it could fire — with 100 link
 * definitions, a click on one link no longer searches the page 100 times.
 */
export function couldBeMatch(trigger: ElementTrigger, el: Element): boolean {
  const fp = trigger.fingerprint;
  if (trigger.mode === 'similar') return tagOf(el) === fp.tag;
  // What scoreCandidate rejects first, before the copy of the fingerprint: a click's path holds
  // a dozen elements of other kinds for every definition asked about.
  if (!sameKind(fp.tag, tagOf(el))) return false;
  const score = scoreCandidate(
    { ...fp, classes: fp.classes ?? [], attributes: fp.attributes ?? {}, ancestors: fp.ancestors ?? [] },
    el,
  );
  return score !== null && (score.max === 0 || score.score > 0);
}

const isPositional = (selector: string): boolean => /:nth-|:root\s*>|:host\s*>/.test(selector);

/**
 * Finds the elements a trigger designates in `root` (the top document, or a shadow root the
 * trigger's path starts from). In `unique` mode it returns at most one element: the one a
 * stored selector finds and the fingerprint confirms, else the one the fingerprint clearly
 * singles out; when the evidence is ambiguous it returns [] rather than a wrong element. In
 * `similar` mode it returns every element of the recorded tag the first working selector
 * matches. Never throws: invalid selectors and unreachable frames yield [] — except with `work`
 * (a resumable run, see `MatchWork`), where it throws `OUT_OF_TIME` when the work's deadline passed.
 */
export function findMatches(trigger: ElementTrigger, root: Document | ShadowRoot, work?: MatchWork): Element[] {
  try {
    const roots = resolvePath(trigger.path ?? [], root);
    if (roots.length === 0) return [];
    const alternatives = trigger.alternatives ?? [];
    const fp = trigger.fingerprint;
    if (trigger.mode === 'similar') {
      for (const selector of new Set([trigger.selector, ...alternatives.map((a) => a.selector)])) {
        const found = collect(roots, selector, fp.tag, true);
        if (found.length > 0) return found;
      }
      return [];
    }
    const stored: StoredSelector[] = [
      {
        selector: trigger.selector,
        weight: SELECTOR_WEIGHT[trigger.quality] ?? SELECTOR_WEIGHT.fragile,
        positional: isPositional(trigger.selector),
        unique: (trigger.matchCount ?? 1) === 1,
      },
      ...alternatives.map((a) => ({
        selector: a.selector,
        weight: SELECTOR_WEIGHT[a.quality] ?? SELECTOR_WEIGHT.fragile,
        positional: isPositional(a.selector),
        unique: a.matchCount === 1,
      })),
    ];
    // Stored triggers may predate schema defaults; treat missing lists as empty.
    const complete = {
      ...fp,
      classes: fp.classes ?? [],
      attributes: fp.attributes ?? {},
      ancestors: fp.ancestors ?? [],
    };
    return matchUnique(complete, stored, roots, work);
  } catch (error) {
    if (error === OUT_OF_TIME) throw error;
    // A hostile or exotic DOM must never break the page's click handling.
    return [];
  }
}

/**
 * Which stored signal finds `element` (one of `findMatches(trigger, root)`): the primary selector,
 * an alternative selector, or — when every stored selector misses it — only the fingerprint. Test
 * mode shows it, and health reports count the fallbacks so users re-pick before the event breaks.
 */
export function matchSignal(
  trigger: ElementTrigger,
  element: Element,
  root: Document | ShadowRoot,
  work?: MatchWork,
): 'selector' | 'alternative' | 'fingerprint' {
  try {
    const roots = resolvePath(trigger.path ?? [], root);
    // With `work`, the queries `findMatches` already made are not made again (they found the
    // elements of the recorded kind, which `element` is).
    const finds = (selector: string) => {
      const known = work?.queries.get(selector);
      if (known) return known.includes(element);
      work?.spend();
      return roots.some((r) => queryAll(r, selector).includes(element));
    };
    if (finds(trigger.selector)) return 'selector';
    if ((trigger.alternatives ?? []).some((a) => finds(a.selector))) return 'alternative';
  } catch (error) {
    if (error === OUT_OF_TIME) throw error;
    // An exotic DOM: the fingerprint is what found it.
  }
  return 'fingerprint';
}
