/**
 * The four generators compared side by side: Clicktrail (`describeElement` + `findMatches`),
 * css-selector-generator and @medv/finder with their default options, and a DevTools-style
 * path. Baselines are bounded only so a run finishes: finder's default `timeoutMs` is 1000 ms;
 * css-selector-generator has no timeout, so the benchmark aborts it after the same 1000 ms
 * (counted as "no selector").
 */
import { finder } from '@medv/finder';
import { getCssSelector } from 'css-selector-generator';
import { findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
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
  timedOut?: boolean;
}

export type Outcome = 'found' | 'lost' | 'wrong';

const BASELINE_TIMEOUT_MS = 1000;

class Timeout extends Error {}

/**
 * Runs `fn` with a deadline checked in every `querySelectorAll` and in `Array.from` (where
 * css-selector-generator materialises its power sets): the only way to stop a synchronous
 * search from outside. The patches live only for the duration of the call.
 */
function withDeadline<T>(ms: number, fn: () => T): T {
  const end = performance.now() + ms;
  const check = () => {
    if (performance.now() > end) throw new Timeout();
  };
  const patched = [Document.prototype, Element.prototype, DocumentFragment.prototype];
  const originals = patched.map((proto) => Object.getOwnPropertyDescriptor(proto, 'querySelectorAll'));
  const originalFrom = Object.getOwnPropertyDescriptor(Array, 'from');
  patched.forEach((proto, i) => {
    const query = originals[i]?.value as ((this: ParentNode, selectors: string) => NodeListOf<Element>) | undefined;
    if (!query) return;
    Object.defineProperty(proto, 'querySelectorAll', {
      ...originals[i],
      value(this: ParentNode, selector: string) {
        check();
        return query.call(this, selector);
      },
    });
  });
  const from = originalFrom?.value as ((source: unknown, ...rest: unknown[]) => unknown[]) | undefined;
  if (from) {
    Object.defineProperty(Array, 'from', {
      ...originalFrom,
      value(source: unknown, ...rest: unknown[]) {
        check();
        if (Array.isArray(source) || typeof (source as Iterable<unknown>)[Symbol.iterator] !== 'function')
          return from.call(Array, source, ...rest);
        const items: unknown[] = [];
        for (const item of source as Iterable<unknown>) {
          if ((items.length & 1023) === 0) check();
          items.push(item);
        }
        return from.call(Array, items, ...rest);
      },
    });
  }
  try {
    return fn();
  } finally {
    patched.forEach((proto, i) => {
      const original = originals[i];
      if (original) Object.defineProperty(proto, 'querySelectorAll', original);
    });
    if (originalFrom) Object.defineProperty(Array, 'from', originalFrom);
  }
}

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
    result = { timedOut: error instanceof Timeout || String(error).includes('Timeout') };
  }
  return { ...result, ms: performance.now() - start };
}

/** Runs every generator on `el` (the `clicktrail-selector` row reuses Clicktrail's trigger). */
export function generateAll(el: Element): Record<GeneratorName, Generated> {
  const clicktrail = timed(() => {
    const trigger = describeElement(el);
    return { trigger, selector: trigger.selector };
  });
  return {
    clicktrail,
    'clicktrail-selector': clicktrail,
    'css-selector-generator': timed(() => ({
      selector: withDeadline(BASELINE_TIMEOUT_MS, () => getCssSelector(el)),
    })),
    finder: timed(() => ({ selector: finder(el) })),
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
