import type { Fingerprint } from '../shared/trigger';
import { tagOf } from './dom';
import {
  accessibleName,
  ancestorTags,
  elementRole,
  hrefPath,
  imageName,
  sameKind,
  TEST_ATTRIBUTES,
  TEXT_ATTRIBUTES,
} from './features';
import { compareText, elementText, normaliseText } from './text';

/** How much each signal is worth when it agrees; contradictions subtract or reject. */
const WEIGHT = {
  testAttribute: 4,
  id: 3,
  href: 3,
  text: 3,
  image: 3,
  name: 2,
  classes: 2,
  attribute: 1.5,
  ancestors: 1,
  role: 0.5,
} as const;

/** Evidence that a candidate is the fingerprinted element: `score` out of a possible `max`. */
export interface CandidateScore {
  score: number;
  max: number;
}

/** Host (lower-case, without `www.`) and path without query, hash and trailing slash. */
function hrefParts(href: string): { host: string | undefined; path: string } {
  const absolute = /^\/\/([^/?#]*)(.*)$/.exec(href);
  const host = absolute ? (absolute[1] ?? '').toLowerCase().replace(/^www\./, '') : undefined;
  const rest = absolute ? absolute[2] || '/' : href;
  const path = rest.split(/[?#]/)[0] ?? '';
  return { host, path: path.length > 1 ? path.replace(/\/+$/, '') : path };
}

/**
 * What `sameLinkTarget` compares of a link target: the fragment of an in-page anchor, else the path.
 * Two targets with different keys never name the same page, so a link's key finds, among many
 * recorded targets, the only ones it could be (the tracker's click index).
 */
export function linkTargetKey(href: string): string {
  return href.startsWith('#') ? href : hrefParts(href).path;
}

/**
 * Whether two recorded link targets name the same page: same path, and the same host when
 * both have one. A host-less side was same-origin when recorded; the other side may spell the
 * same site with another scheme (an http → https move), so only the path is compared then.
 */
export function sameLinkTarget(a: string, b: string): boolean {
  // In-page anchors (`#id2` vs `#id3`) differ by their fragment alone.
  if (a.startsWith('#') || b.startsWith('#')) return a === b;
  const left = hrefParts(a);
  const right = hrefParts(b);
  return left.path === right.path && (left.host === undefined || right.host === undefined || left.host === right.host);
}

/**
 * Whether two recorded contexts (`elementContext`) name the same card: the same heading text,
 * or links to the same page however the page spelled them (`/tag/x/` and `//pagesix.com/tag/x/`).
 */
export function sameContext(recorded: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (recorded === actual) return true;
  if (recorded.startsWith('a ') && actual.startsWith('a ')) return sameLinkTarget(recorded.slice(2), actual.slice(2));
  if (recorded.startsWith('h ') && actual.startsWith('h ')) {
    const relation = compareText(recorded.slice(2), actual.slice(2));
    return relation === 'equal' || relation === 'similar';
  }
  return false;
}

function ancestorAgreement(recorded: readonly string[], actual: readonly string[]): number {
  if (recorded.length === 0) return 0;
  let best = 0;
  // Offsets ±1 absorb one inserted or removed wrapper element, the commonest redeploy change.
  for (const offset of [0, 1, -1]) {
    let same = 0;
    recorded.forEach((tag, i) => {
      if (actual[i + offset] === tag) same++;
    });
    best = Math.max(best, same / recorded.length);
  }
  return best;
}

const slug = (id: string): string => id.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Digits read the same: `menu | 30` and `menu | 32` are one tracking label with a counter. */
const withoutNumbers = (value: string): string => normaliseText(value).replace(/\d+/g, '0');

/** Returns the score delta of one recorded attribute, or null when it contradicts. */
function attributeScore(fp: Fingerprint, name: string, value: string, el: Element): number | null {
  const isTest = TEST_ATTRIBUTES.includes(name);
  const weight = isTest ? WEIGHT.testAttribute : WEIGHT.attribute;
  const actual = el.getAttribute(name);
  if (actual === null) return isTest ? -1 : -0.5;
  if (normaliseText(actual) === normaliseText(value)) return weight;
  // A tracking label with a running number (abendblatt's `data-tracking="menu - main - level 2 | 32"`
  // renumbered to `| 30` when the menu grew) is the same kind of element, not another one.
  if (isTest && withoutNumbers(actual) === withoutNumbers(value)) return weight * 0.25;
  if (isTest || (name === 'type' && fp.tag === 'input')) return null;
  return TEXT_ATTRIBUTES.includes(name) ? -0.5 : -1;
}

/**
 * Scores how well `el` agrees with the fingerprint, or returns null when it clearly is another
 * element: a different tag (heading levels aside), a different test-attribute value, a
 * different link target, a contradicting label, or an input of another type.
 */
export function scoreCandidate(fp: Fingerprint, el: Element): CandidateScore | null {
  const tag = tagOf(el);
  if (!sameKind(fp.tag, tag)) return null;
  let score = tag === fp.tag ? 0 : -0.5;
  let max = 0;

  for (const [name, value] of Object.entries(fp.attributes)) {
    // Compared below through their normalised forms.
    if (name === 'href' || name === 'role') continue;
    max += TEST_ATTRIBUTES.includes(name) ? WEIGHT.testAttribute : WEIGHT.attribute;
    const delta = attributeScore(fp, name, value, el);
    if (delta === null) return null;
    score += delta;
  }

  if (fp.id !== undefined) {
    max += WEIGHT.id;
    const actual = el.getAttribute('id');
    if (actual === fp.id) score += WEIGHT.id;
    // Heading anchors slugged by another Markdown engine (`news-general` → `news--general-`, ma.ttias.be).
    else if (actual && slug(actual) === slug(fp.id)) score += WEIGHT.id * 0.66;
    else if (actual) score -= 1;
  }

  if (fp.href !== undefined) {
    max += WEIGHT.href;
    const actual = hrefPath(el);
    if (actual === undefined) score -= 1;
    else if (actual === fp.href) score += WEIGHT.href;
    else if (sameLinkTarget(actual, fp.href)) score += WEIGHT.href * 0.66;
    else return null;
  }

  if (fp.image !== undefined) {
    max += WEIGHT.image;
    const actual = imageName(el);
    // Not a contradiction: CDNs rename files (sizes, hashes) more often than pages swap images.
    if (actual === fp.image) score += WEIGHT.image;
    else score -= actual === undefined ? 0.5 : 1;
  }

  const text = fp.text !== undefined || fp.name !== undefined ? elementText(el) : undefined;
  if (fp.text !== undefined) {
    max += WEIGHT.text;
    if (text === undefined) score -= 1;
    else {
      const relation = compareText(fp.text, text);
      if (relation === 'contradicts') return null;
      score += { equal: 1, similar: 0.85, partial: 0.5, unrelated: 0 }[relation] * WEIGHT.text;
    }
  } else if (fp.image !== undefined || fp.href !== undefined) {
    // An image or icon link that had no text: a look-alike with a caption is likely another one.
    if (elementText(el) !== undefined) score -= 0.5;
  }

  // The accessible name only adds evidence when it is not just the text again (aria-label, alt, label).
  if (fp.name !== undefined && fp.name !== fp.text) {
    max += WEIGHT.name;
    const actual = accessibleName(el);
    if (actual === undefined) score -= 0.5;
    else {
      const relation = compareText(fp.name, actual);
      if (relation === 'contradicts') score -= 1.5;
      else score += { equal: 1, similar: 0.85, partial: 0.5, unrelated: 0 }[relation] * WEIGHT.name;
    }
  }

  if (fp.role !== undefined) {
    max += WEIGHT.role;
    score += elementRole(el) === fp.role ? WEIGHT.role : -WEIGHT.role;
  }

  if (fp.classes.length > 0) {
    max += WEIGHT.classes;
    const present = fp.classes.filter((name) => el.classList.contains(name)).length;
    score += (present / fp.classes.length) * WEIGHT.classes;
  }

  if (fp.ancestors.length > 0) {
    max += WEIGHT.ancestors;
    score += ancestorAgreement(fp.ancestors, ancestorTags(el, fp.ancestors.length + 1)) * WEIGHT.ancestors;
  }

  return { score, max };
}
