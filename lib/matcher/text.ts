import { LIMITS } from '../shared/limits';
import { isElement, tagOf } from './dom';

/** Elements whose text content is never shown to the user. */
const INVISIBLE_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link']);

/** Inline elements: their boundaries do not separate words ("Sign<b>in</b>" reads "Signin"). */
const INLINE_TAGS = new Set(
  'a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var font label'.split(
    ' ',
  ),
);

/** Stop collecting text after this many characters: containers like `<body>` must stay cheap. */
const SCAN_LIMIT = 1000;

/**
 * Collapses whitespace (including NBSP), drops zero-width characters, trims and cuts to the
 * fingerprint text limit without splitting a surrogate pair.
 */
export function normaliseText(text: string, maxLength: number = LIMITS.fingerprintTextMaxLength): string {
  const collapsed = text
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (collapsed.length <= maxLength) return collapsed;
  let cut = collapsed.slice(0, maxLength);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

function isButtonLikeInput(el: Element): boolean {
  if (tagOf(el) !== 'input') return false;
  const type = (el.getAttribute('type') ?? '').toLowerCase();
  return type === 'submit' || type === 'button' || type === 'reset';
}

function isHiddenSubtree(el: Element): boolean {
  return el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true';
}

/**
 * The element's visible text, normalised, or undefined when it has none. Without layout we
 * cannot know CSS visibility, so "visible" means: not in script/style/template, not under
 * `hidden` or `aria-hidden="true"`. Button-like inputs use their `value` (their label); other
 * form values are user input and are never read.
 */
export function elementText(el: Element): string | undefined {
  if (isButtonLikeInput(el)) return normaliseText(el.getAttribute('value') ?? '') || undefined;
  const parts: string[] = [];
  let length = 0;
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child && length < SCAN_LIMIT; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const value = child.nodeValue ?? '';
        parts.push(value);
        length += value.length;
      } else if (isElement(child)) {
        const tag = tagOf(child);
        if (INVISIBLE_TAGS.has(tag) || isHiddenSubtree(child)) continue;
        const separate = !INLINE_TAGS.has(tag);
        if (separate) parts.push(' ');
        walk(child);
        if (separate) parts.push(' ');
      }
    }
  };
  walk(el);
  return normaliseText(parts.join('')) || undefined;
}

/** How a candidate's text relates to the recorded text. */
export type TextRelation = 'equal' | 'similar' | 'partial' | 'unrelated' | 'contradicts';

/** Lower-case, punctuation-free form in which every number reads the same ("Cart (3)" ~ "Cart (4)"). */
function canonical(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '0')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function levenshteinRatio(a: string, b: string): number {
  if (a === b) return 1;
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return 1 - (previous[b.length] ?? longest) / longest;
}

/** Texts of at most this many words are labels: any real difference means another element. */
const LABEL_WORDS = 6;

/**
 * Compares two normalised texts. Short labels ("Add to cart" vs "Add to wishlist") contradict
 * unless one contains the other or they differ by a typo; long texts (cards, paragraphs)
 * contradict only when they share almost no words, since their content is often dynamic.
 */
export function compareText(recorded: string, candidate: string): TextRelation {
  if (recorded === candidate) return 'equal';
  const a = canonical(recorded);
  const b = canonical(candidate);
  if (a === b) return 'similar';
  if (!a || !b) return 'unrelated';
  const wordsA = a.split(' ');
  const wordsB = b.split(' ');
  if (Math.max(wordsA.length, wordsB.length) <= LABEL_WORDS) {
    if (a.includes(b) || b.includes(a)) return 'partial';
    return levenshteinRatio(a, b) >= 0.8 ? 'partial' : 'contradicts';
  }
  const setA = new Set(wordsA);
  const setB = new Set(wordsB);
  let shared = 0;
  for (const word of setA) if (setB.has(word)) shared++;
  const jaccard = shared / (setA.size + setB.size - shared);
  if (jaccard >= 0.5) return 'partial';
  return jaccard < 0.2 ? 'contradicts' : 'unrelated';
}
