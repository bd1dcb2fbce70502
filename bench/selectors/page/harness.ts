/**
 * The in-page half of `npm run bench:selectors`, bundled as a classic script that defines
 * `window.ClicktrailBench`. The Node half loads a captured page, calls these functions through
 * `page.evaluate`, and aggregates what they return. Generation runs on the live page. Each
 * synthetic redeploy runs on a fresh copy of the pristine DOM in an inert document (no
 * browsing context, so its images and frames do not load, which would cost more than the
 * benchmark itself); the benchmarked elements are re-found there by document-order index.
 */
import { contentKey, TRACKABLE } from '../../../lib/redeploys/content';
import { GENERATORS, generateAll, judge, type Generated, type GeneratorName, type Outcome } from './generators';
import { hashedClassNames, mutate, type MutationKind } from '../../../lib/redeploys/mutations';
import { prng, sample } from '../../../lib/redeploys/random';
import { findMatches } from '../../../lib/matcher';

export { MUTATIONS } from '../../../lib/redeploys/mutations';
export { GENERATORS } from './generators';

/** Per element: what each generator produced (selectors, Clicktrail's trigger, timings, uniqueness). */
export interface ElementResult {
  index: number;
  generated: Record<GeneratorName, Generated>;
  unique: Record<GeneratorName, boolean>;
}

interface State {
  pristine: Element;
  results: ElementResult[];
}

let state: State | undefined;

function elementsInOrder(): Element[] {
  return Array.from(document.querySelectorAll('*'));
}

function isCandidate(el: Element): boolean {
  return !el.closest('head, noscript, template, svg') && el.ownerDocument.body?.contains(el) === true;
}

/** Remembers the pristine DOM; returns the page's trackable elements by index and its hashed-class count. */
export function init(): { candidates: number[]; hashedClasses: number; elements: number } {
  state = { pristine: document.documentElement.cloneNode(true) as Element, results: [] };
  const all = elementsInOrder();
  const trackable = new Set(Array.from(document.querySelectorAll(TRACKABLE)).filter(isCandidate));
  const candidates = all.flatMap((el, i) => (trackable.has(el) ? [i] : []));
  return { candidates, hashedClasses: hashedClassNames(document).size, elements: all.length };
}

/** A seeded sample of `count` trackable element indices. */
export function sampleCandidates(candidates: number[], seed: number, count: number): number[] {
  return sample(prng(seed), candidates, count);
}

/** Content identities of the trackable elements, for matching old and new captures. */
export function contentKeys(candidates: number[]): { index: number; key: string }[] {
  const all = elementsInOrder();
  return candidates.flatMap((index) => {
    const el = all[index];
    const key = el && contentKey(el);
    return key ? [{ index, key }] : [];
  });
}

/**
 * Runs every generator on the elements at `indices` of the (pristine) page and checks
 * uniqueness there; `keep` stores the results for the synthetic redeploys of this page.
 */
export function generate(indices: number[], keep: boolean): ElementResult[] {
  const all = elementsInOrder();
  const results: ElementResult[] = [];
  for (const index of indices) {
    const el = all[index];
    if (!el) continue;
    const generated = generateAll(el);
    if (generated.clicktrail.ms > SLOW_MS && misses.length < 5000)
      misses.push({
        kind: `slow ${generated.clicktrail.ms.toFixed(0)} ms`,
        outcome: 'found',
        expected: snippet(el),
        found: [],
        selector: generated.clicktrail.selector ?? '',
      });
    const unique = {} as Record<GeneratorName, boolean>;
    for (const name of GENERATORS) unique[name] = judge(name, generated[name], el, document) === 'found';
    results.push({ index, generated, unique });
  }
  if (keep) state?.results.push(...results);
  return results;
}

/** Generation slower than this is recorded (with `--details`) to see what costs time. */
const SLOW_MS = 10;

export type Outcomes = Record<GeneratorName, Outcome>;

/** Milliseconds spent judging, per generator and in restoring/mutating: where a slow run goes. */
export const judgeTime: Record<string, number> = {};

function addTime(what: string, start: number): void {
  judgeTime[what] = (judgeTime[what] ?? 0) + performance.now() - start;
}

/** Clicktrail's misses with enough context to see why (for `--details`). */
export interface Miss {
  kind: string;
  outcome: Outcome;
  expected: string;
  found: string[];
  selector: string;
}

let misses: Miss[] = [];
let matchTimes: number[] = [];

/** Returns and forgets the durations of the `findMatches` calls judged so far. */
export function takeMatchTimes(): number[] {
  const taken = matchTimes;
  matchTimes = [];
  return taken;
}

/** Returns and forgets the misses recorded so far. */
export function takeMisses(): Miss[] {
  const taken = misses;
  misses = [];
  return taken;
}

function snippet(el: Element): string {
  const open = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1).slice(0, 200);
  return `${open}${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)}`;
}

function judgeEach(
  generated: Record<GeneratorName, Generated>,
  expected: Element | undefined,
  doc: Document = document,
  kind = 'pair',
): Outcomes {
  const outcome = {} as Outcomes;
  for (const name of GENERATORS) {
    const start = performance.now();
    outcome[name] = expected ? judge(name, generated[name], expected, doc) : 'lost';
    addTime(name, start);
    const took = performance.now() - start;
    if (name === 'clicktrail' && expected) matchTimes.push(took);
    if (name === 'clicktrail' && took > SLOW_MS * 2 && misses.length < 5000)
      misses.push({
        kind: `slow match ${took.toFixed(0)} ms`,
        outcome: outcome[name],
        expected: expected ? snippet(expected) : '',
        found: [],
        selector: JSON.stringify(generated.clicktrail.trigger?.fingerprint ?? {}).slice(0, 300),
      });
  }
  const trigger = generated.clicktrail.trigger;
  if (outcome.clicktrail !== 'found' && expected && trigger && misses.length < 5000) {
    misses.push({
      kind,
      outcome: outcome.clicktrail,
      expected: snippet(expected),
      found: findMatches(trigger, doc).map(snippet),
      selector: [trigger.selector, ...trigger.alternatives.map((a) => a.selector)].join('  ||  '),
    });
  }
  return outcome;
}

/**
 * Restores the pristine DOM, applies one seeded synthetic redeploy and judges every generator's
 * stored output for the elements generated on this page.
 */
export function redeploy(kind: MutationKind, seed: number): Outcomes[] {
  if (!state) throw new Error('init() first');
  const { pristine, results } = state;
  const start = performance.now();
  const { doc, all } = inertCopy(pristine);
  const expected = results.map((r) => all[r.index]);
  mutate(
    doc,
    kind,
    prng(seed),
    expected.filter((el): el is Element => el !== undefined),
  );
  addTime(`restore+${kind}`, start);
  return results.map((r, i) => judgeEach(r.generated, expected[i], doc, kind));
}

/**
 * A document without a browsing context holding a copy of `pristine` with the live page's
 * base URL, and its elements in document order as they were before the `<base>` was added.
 */
function inertCopy(pristine: Element): { doc: Document; all: Element[] } {
  const doc = document.implementation.createHTMLDocument('');
  doc.replaceChild(doc.importNode(pristine, true), doc.documentElement);
  const all = Array.from(doc.querySelectorAll('*'));
  const base = doc.createElement('base');
  base.setAttribute('href', document.baseURI);
  // Before the page's own `<base>`, if any: that one is already folded into document.baseURI.
  doc.head?.prepend(base);
  return { doc, all };
}

/** Judges output generated on another capture (the old page of a pair) against this page's element `index`. */
export function judgeElsewhere(items: { generated: Record<GeneratorName, Generated>; index: number }[]): Outcomes[] {
  const all = elementsInOrder();
  return items.map((item) => judgeEach(item.generated, all[item.index]));
}
