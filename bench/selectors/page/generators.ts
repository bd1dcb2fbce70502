/**
 * The four generators compared side by side: Clicktrail (`describeElement` + `findMatches`),
 * css-selector-generator and @medv/finder, each bounded by work through its own options, and a
 * DevTools-style path.
 */
import { finder } from '@medv/finder';
import { getCssSelector } from 'css-selector-generator';
import { findMatches } from '../../../lib/matcher';
import { createBudget, describeElement, WORK_BUDGET } from '../../../lib/selector';
import type { ElementTrigger } from '../../../lib/shared/trigger';

export const GENERATORS = [
  'clicktrail',
  'clicktrail-selector',
  'css-selector-generator',
  'finder',
  'devtools',
] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/** What one generator produced for one element. */
export interface Generated {
  selector?: string;
  trigger?: ElementTrigger;
  ms: number;
  /** Clicktrail only: the work units `describeElement` spent (its budget is `WORK_BUDGET`). */
  units?: number;
  timedOut?: boolean;
}

export type Outcome = 'found' | 'lost' | 'wrong';

/**
 * Every generator is bounded by work, through its own options, so a run's selectors do not depend
 * on how fast or busy the machine is, and each is timed by the same `timed` call with nothing
 * wrapped around it. Clicktrail: its work budget (`WORK_BUDGET`, elements looked at by queries).
 * css-selector-generator: no time limit of its own and unbounded combinatorics by default, so it
 * gets the bounds its README recommends for large pages. finder: its default 1000 ms timeout
 * replaced by a bound on path checks (each one query), with the timeout kept only as a far-off
 * watchdog (the max column shows it never fired if it stays under `FINDER_WATCHDOG_MS`).
 */
export const CSS_SELECTOR_GENERATOR_BOUNDS = { maxCombinations: 100, maxCandidates: 100 } as const;
export const FINDER_BOUNDS = { maxNumberOfPathChecks: 1000 } as const;
export const FINDER_WATCHDOG_MS = 10_000;

/** Chrome DevTools' "Copy selector" shape: `#id > tag:nth-child(n) > ...`, stopping at the nearest id. */
export function devtoolsPath(el: Element): string {
  const steps: string[] = [];
  for (let node: Element | null = el; node && node.nodeType === 1; node = node.parentElement) {
    const id = node.getAttribute('id');
    if (id) {
      steps.unshift(`#${CSS.escape(id)}`);
      break;
    }
    const tag = node.localName;
    const parent = node.parentElement;
    if (!parent) {
      steps.unshift(tag);
      break;
    }
    const siblings = Array.from(parent.children);
    const sameTag = siblings.filter((sibling) => sibling.localName === tag).length;
    steps.unshift(sameTag > 1 ? `${tag}:nth-child(${siblings.indexOf(node) + 1})` : tag);
  }
  return steps.join(' > ');
}

function timed(make: () => Omit<Generated, 'ms'>): Generated {
  const start = performance.now();
  let result: Omit<Generated, 'ms'>;
  try {
    result = make();
  } catch (error) {
    result = { timedOut: String(error).includes('Timeout') };
  }
  return { ...result, ms: performance.now() - start };
}

/** Runs every generator on `el`, each the same way (the `clicktrail-selector` row reuses Clicktrail's trigger). */
export function generateAll(el: Element): Record<GeneratorName, Generated> {
  const budget = createBudget(WORK_BUDGET);
  const clicktrail = timed(() => {
    const trigger = describeElement(el, { budget });
    return { trigger, selector: trigger.selector };
  });
  clicktrail.units = budget.spent;
  return {
    clicktrail,
    'clicktrail-selector': clicktrail,
    'css-selector-generator': timed(() => ({ selector: getCssSelector(el, CSS_SELECTOR_GENERATOR_BOUNDS) })),
    finder: timed(() => ({ selector: finder(el, { ...FINDER_BOUNDS, timeoutMs: FINDER_WATCHDOG_MS }) })),
    devtools: timed(() => ({ selector: devtoolsPath(el) })),
  };
}

function query(doc: Document, selector: string): Element[] {
  try {
    return Array.from(doc.querySelectorAll(selector));
  } catch {
    return [];
  }
}

/**
 * Survival `found`: exactly the expected element. `wrong`: exactly one other element, or
 * several elements. `lost`: nothing (or no selector was generated). Baselines are judged by
 * `querySelectorAll(selector)`, Clicktrail by `findMatches(trigger, document)`.
 */
export function judge(name: GeneratorName, generated: Generated, expected: Element, doc: Document): Outcome {
  let found: Element[];
  if (name === 'clicktrail') found = generated.trigger ? findMatches(generated.trigger, doc) : [];
  else found = generated.selector ? query(doc, generated.selector) : [];
  if (found.length === 0) return 'lost';
  return found.length === 1 && found[0] === expected ? 'found' : 'wrong';
}
