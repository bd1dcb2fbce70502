import { cssSelectorGenerator } from 'css-selector-generator';
import { attributeKind } from './attributes';
import type { Budget } from './budget';
import { isUnstableClass, isUnstableId } from './stability';
import { cssUnescape } from './syntax';

type LibraryOptions = NonNullable<Parameters<typeof cssSelectorGenerator>[1]>;
type SelectorType = NonNullable<LibraryOptions['selectors']>[number];

/** Bounds on css-selector-generator's combinatorics: an element with 12 classes must not cost 4096 queries. */
export const MAX_COMBINATIONS = 50;
export const MAX_CANDIDATES = 50;

/**
 * Whether one selector part proposed by css-selector-generator (`#id`, `.class`,
 * `[name='value']`, `tag`, `tag:nth-of-type(2)`) is stable enough to use. Presence-only
 * attribute parts (`[href]`) are refused, and so is anything unparsable (happy-dom, for one,
 * reports attribute names as '' and produces `[]`).
 */
export function isUsablePart(part: string): boolean {
  if (part.startsWith('#')) return !isUnstableId(cssUnescape(part.slice(1)));
  if (part.startsWith('.')) return !isUnstableClass(cssUnescape(part.slice(1)));
  if (part.startsWith('[')) {
    const match = /^\[((?:\\.|[^=\]\\])+)='((?:\\.|[^'\\])*)'\]$/.exec(part);
    if (!match) return false;
    return attributeKind(cssUnescape(match[1] ?? ''), cssUnescape(match[2] ?? '')) !== undefined;
  }
  return true;
}

function isTestAttributePart(part: string): boolean {
  return (
    part.startsWith('[') &&
    part.includes('=') &&
    attributeKind(cssUnescape(part.slice(1).split('=')[0] ?? ''), 'x') === 'test'
  );
}

/** Its `:scope > :nth-child(...)` fallback and per-element `a, b` joins: we build better ones ourselves. */
function isLibraryFallback(selector: string): boolean {
  return selector.includes(':scope') || /^(?:\s*>?\s*:nth-child\(\d+\))+$/.test(selector) || selector.includes(',');
}

/**
 * Routes the library's root queries through the budget, which pays for each. css-selector-generator
 * is synchronous and may test thousands of candidates on a large page; throwing from here is the
 * only way to stop it mid-search. The proxy binds every other member to the real node.
 */
function guardRoot(root: Document | ShadowRoot, budget: Budget): ParentNode {
  return new Proxy(root, {
    get(target, property) {
      if (property === 'querySelectorAll') {
        return (selector: string) => {
          budget.check();
          budget.chargeQuery(root);
          return target.querySelectorAll(selector);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** What to ask css-selector-generator for. */
export interface LibraryRequest {
  selectors: SelectorType[];
  maxResults: number;
}

/**
 * Unique selectors for `needle` (one element, or a group for similar mode) from
 * css-selector-generator, with unstable parts blacklisted, test attributes whitelisted and the
 * root set to the element's own document or shadow root. Returns [] on any error or when the
 * budget is spent: the caller always has the structural path to fall back on.
 */
export function librarySelectors(
  needle: Element | Element[],
  root: Document | ShadowRoot,
  budget: Budget,
  request: LibraryRequest,
): string[] {
  if (budget.expired()) return [];
  const results: string[] = [];
  try {
    const iterator = cssSelectorGenerator(needle, {
      root: guardRoot(root, budget),
      selectors: request.selectors,
      blacklist: [
        (part: string) => {
          // Called once per selector part the library considers: one unit, and a good place to stop a long search.
          budget.charge(1);
          budget.check();
          return !isUsablePart(part);
        },
      ],
      whitelist: [isTestAttributePart],
      combineWithinSelector: true,
      combineBetweenSelectors: true,
      maxCombinations: MAX_COMBINATIONS,
      maxCandidates: MAX_CANDIDATES,
      maxResults: request.maxResults,
    });
    for (const selector of iterator) {
      if (!isLibraryFallback(selector)) results.push(selector);
      if (budget.expired()) break;
    }
  } catch {
    // BudgetExceededError, or the library tripping over an exotic DOM: keep what we have.
  }
  return results;
}
