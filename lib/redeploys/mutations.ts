/**
 * Seeded synthetic redeploys, applied in place to the DOM of a captured page. Each models a
 * change real sites ship without touching content: a rebuild that rehashes generated class
 * names, renumbered ids, inserted siblings, wrapper divs, state classes, and churn in
 * volatile attributes. Identity-bearing attributes (test hooks such as `data-testid`, product
 * ids, hrefs) are left alone: deploys that change them change what the element is. `targets` are the benchmarked elements; every
 * mutation hits some of their ancestors on purpose, besides random spots of the page.
 */
import { pick, type Random } from './random';

export const MUTATIONS = ['rehash', 'ids', 'siblings', 'wrappers', 'state', 'attributes'] as const;
export type MutationKind = (typeof MUTATIONS)[number] | 'combined';

/**
 * Generated class names by family, each with the hash part as group 1. Written from what the
 * corpus holds: emotion `css-1q2w90k` (nytimes), styled-components `sc-bczRLJ` + `hMndXN` and
 * `Layout__ScWrapper-sc-12qikby-0` (deadspin, androidcentral, littlethings, nydailynews), CSS
 * modules `styles_toggleWrapper__2FB8J` (bloomberg, nbcnews, lifehacker.jp), minified modules
 * `_1gUIC` / `_55afeaf6` (timesofindia, money.cnn, reddit, fortune), styled-jsx `jsx-2324231005`.
 */
const HASH_FAMILIES: { pattern: RegExp; hashLike?: boolean; styledOnly?: boolean }[] = [
  { pattern: /^css-([a-z0-9]{4,})(?:-.+)?$/ },
  { pattern: /^(?:sc|jsx|svelte|astro|emotion|jss|tss)-([A-Za-z0-9]{5,})(?:-\d+)?$/, hashLike: true },
  { pattern: /^.+-sc-([a-z0-9]{5,})(?:-\d+)?$/ },
  { pattern: /^[A-Za-z][\w-]*?_[\w-]+?__([A-Za-z0-9_-]{5,})$/, hashLike: true },
  { pattern: /^_([A-Za-z0-9-]{4,})$/, hashLike: true },
  // styled-components' second class and bare component ids, only next to an `sc-` class.
  { pattern: /^([a-zA-Z]{5,7})$/, hashLike: true, styledOnly: true },
  { pattern: /^([a-z0-9]{5,8})-\d+$/, hashLike: true, styledOnly: true },
];

const hasHashShape = (hash: string): boolean => /\d/.test(hash) || (/[A-Z]/.test(hash) && /[a-z]/.test(hash));
const isStyledContext = (classes: readonly string[]): boolean => classes.some((c) => /^sc-|-sc-/.test(c));

/** The hash part of a generated class name, or undefined when the name is hand-written. */
export function hashOf(name: string, classes: readonly string[]): string | undefined {
  const styled = isStyledContext(classes);
  for (const { pattern, hashLike, styledOnly } of HASH_FAMILIES) {
    if (styledOnly && !styled) continue;
    const hash = pattern.exec(name)?.[1];
    if (hash && (!hashLike || hasHashShape(hash))) return hash;
  }
  return undefined;
}

/** Distinct generated class names on the page: pages with at least a few count as "hashed". */
export function hashedClassNames(root: ParentNode): Set<string> {
  const found = new Set<string>();
  for (const el of Array.from(root.querySelectorAll('[class]'))) {
    const classes = classesOf(el);
    for (const name of classes) if (hashOf(name, classes)) found.add(name);
  }
  return found;
}

function classesOf(el: Element): string[] {
  return (el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
}

function randomLike(random: Random, text: string): string {
  let out = '';
  for (const char of text) {
    if (/\d/.test(char)) out += String(Math.floor(random() * 10));
    else if (/[a-z]/.test(char)) out += String.fromCharCode(97 + Math.floor(random() * 26));
    else if (/[A-Z]/.test(char)) out += String.fromCharCode(65 + Math.floor(random() * 26));
    else out += char;
  }
  return out;
}

/** The same value with every digit replaced: `.0.1.2` → `.4.7.1`, `1556104756617` → `8203917465521`. */
function renumber(random: Random, value: string): string {
  return value.replace(/\d/g, () => String(Math.floor(random() * 10)));
}

function ancestorOrSelf(el: Element, random: Random, maxDepth: number): Element | undefined {
  let node: Element | null = el;
  for (let depth = Math.floor(random() * (maxDepth + 1)); depth > 0 && node?.parentElement; depth--) {
    node = node.parentElement;
  }
  if (!node || node === node.ownerDocument.body || node === node.ownerDocument.documentElement) return undefined;
  return node;
}

function allElements(doc: Document): Element[] {
  return Array.from(doc.body?.querySelectorAll('*') ?? []);
}

/** A rebuild: every generated class gets a new hash, consistently across the page. */
function rehash(doc: Document, random: Random): void {
  const renamed = new Map<string, string>();
  for (const el of Array.from(doc.querySelectorAll('[class]'))) {
    const classes = classesOf(el);
    let changed = false;
    const next = classes.map((name) => {
      const hash = hashOf(name, classes);
      if (!hash) return name;
      changed = true;
      let fresh = renamed.get(name);
      if (!fresh) {
        const at = name.lastIndexOf(hash);
        fresh = name.slice(0, at) + randomLike(random, hash) + name.slice(at + hash.length);
        renamed.set(name, fresh);
      }
      return fresh;
    });
    if (changed) el.setAttribute('class', next.join(' '));
  }
}

const ID_REFERENCES = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'];

/** Ids with numbers in them (`post-123`, `:r1:`, `ember42`) are renumbered; references follow. */
function renumberIds(doc: Document, random: Random): void {
  const renamed = new Map<string, string>();
  for (const el of Array.from(doc.querySelectorAll('[id]'))) {
    const id = el.getAttribute('id') ?? '';
    if (!/\d/.test(id)) continue;
    const fresh = id.replace(/\d+/g, (digits) => String(Number(digits.slice(-6)) + 1 + Math.floor(random() * 50)));
    renamed.set(id, fresh);
    el.setAttribute('id', fresh);
  }
  for (const name of ID_REFERENCES) {
    for (const el of Array.from(doc.querySelectorAll(`[${name}]`))) {
      const value = el.getAttribute(name) ?? '';
      el.setAttribute(
        name,
        value
          .split(/\s+/)
          .map((id) => renamed.get(id) ?? id)
          .join(' '),
      );
    }
  }
}

let inserted = 0;

/** A new element like `model` (same tag and classes) with other content: a new card, link or heading. */
function lookalike(doc: Document, model: Element): Element {
  let el: Element;
  try {
    el = doc.createElementNS(model.namespaceURI, model.localName);
  } catch {
    // The HTML parser accepts tag names that createElement refuses (`<ahref="x">` in a capture).
    el = doc.createElement('div');
  }
  const classes = model.getAttribute('class');
  if (classes) el.setAttribute('class', classes);
  inserted++;
  if (el.localName === 'a') el.setAttribute('href', `/inserted-${inserted}`);
  if (el.localName === 'img') el.setAttribute('src', `/inserted-${inserted}.png`);
  if (el.localName === 'input') {
    el.setAttribute('type', model.getAttribute('type') ?? 'text');
    el.setAttribute('value', `Inserted ${inserted}`);
  } else if (!['img', 'br', 'hr', 'meta', 'link'].includes(el.localName)) el.textContent = `Inserted ${inserted}`;
  return el;
}

/** New siblings: a lookalike before some ancestor of each target, and promo blocks around the page. */
function insertSiblings(doc: Document, random: Random, targets: readonly Element[]): void {
  for (const target of targets) {
    const node = ancestorOrSelf(target, random, 3);
    if (!node?.parentElement) continue;
    const at = random() < 0.5 ? node : node.parentElement.firstElementChild;
    node.parentElement.insertBefore(lookalike(doc, node), at);
  }
  for (const el of allElements(doc)) {
    if (random() >= 0.03 || !el.parentElement) continue;
    const promo = doc.createElement('div');
    promo.setAttribute('class', 'promo');
    promo.textContent = 'Spring sale';
    el.parentElement.insertBefore(promo, el);
  }
}

const WRAPPER_CLASSES = ['', 'wrapper', 'container', 'inner', 'layout'];

function wrap(doc: Document, random: Random, el: Element): void {
  if (!el.parentElement) return;
  const wrapper = doc.createElement('div');
  const name = pick(random, WRAPPER_CLASSES);
  if (name) wrapper.setAttribute('class', name);
  el.parentElement.insertBefore(wrapper, el);
  wrapper.append(el);
}

/** Layout refactors: one ancestor of each target, and a few random elements, get wrapped in a div. */
function addWrappers(doc: Document, random: Random, targets: readonly Element[]): void {
  for (const target of targets) {
    const node = ancestorOrSelf(target, random, 3);
    if (node) wrap(doc, random, node);
  }
  for (const el of allElements(doc)) if (random() < 0.03) wrap(doc, random, el);
}

const STATE_CLASSES = ['active', 'is-active', 'selected', 'is-selected', 'open', 'is-open', 'current', 'show', 'hover'];
const STATE_CLASS =
  /^(?:is-.+|has-.+|active|selected|open|opened|current|show|hover|focus|focused|expanded|collapsed)$/;

/** The page is captured in another state: existing state classes go, new ones appear on and around targets. */
function toggleStates(doc: Document, random: Random, targets: readonly Element[]): void {
  for (const el of Array.from(doc.querySelectorAll('[class]'))) {
    const classes = classesOf(el);
    if (classes.some((name) => STATE_CLASS.test(name)))
      el.setAttribute('class', classes.filter((name) => !STATE_CLASS.test(name)).join(' '));
  }
  const add = (el: Element | undefined) => {
    const name = pick(random, STATE_CLASSES);
    if (el && name) el.classList.add(name);
  };
  for (const target of targets) {
    if (random() < 0.5) add(target);
    if (random() < 0.5) add(ancestorOrSelf(target, random, 3));
  }
  for (const el of allElements(doc)) if (random() < 0.05) add(el);
}

/** Bookkeeping `data-*` attributes whose values change per build or per render (React ids, timestamps, ad slots). */
const VOLATILE_DATA = /^data-(?:reactid|react-checksum|timestamp|ts|time|gtm.*|index|key|uid|pos|position|slot)$/;

/** One volatile-attribute change: inline style, a Vue scope id, ARIA state, tabindex, renumbered data values, cache busters. */
function churn(el: Element, random: Random): void {
  switch (Math.floor(random() * 6)) {
    case 0:
      if (el.hasAttribute('style') && random() < 0.5) el.removeAttribute('style');
      else el.setAttribute('style', `margin-top: ${Math.floor(random() * 40)}px`);
      break;
    case 1:
      el.setAttribute(`data-v-${randomLike(random, 'a1b2c3d4')}`, '');
      break;
    case 2:
      el.setAttribute(random() < 0.5 ? 'aria-expanded' : 'aria-selected', random() < 0.5 ? 'true' : 'false');
      break;
    case 3:
      el.setAttribute('tabindex', random() < 0.5 ? '0' : '-1');
      break;
    case 4: {
      const volatile = Array.from(el.attributes).filter((a) => VOLATILE_DATA.test(a.name) && /\d/.test(a.value));
      for (const attribute of volatile) el.setAttribute(attribute.name, renumber(random, attribute.value));
      if (volatile.length === 0) el.setAttribute('data-index', String(Math.floor(random() * 100)));
      break;
    }
    default: {
      const src = el.getAttribute('src');
      if (src && !src.startsWith('data:'))
        el.setAttribute('src', `${src.split('?')[0]}?v=${Math.floor(random() * 1e6)}`);
      else el.setAttribute('data-gtm-vis', String(Math.floor(random() * 1e6)));
    }
  }
}

function churnAttributes(doc: Document, random: Random, targets: readonly Element[]): void {
  for (const target of targets) {
    churn(target, random);
    const ancestor = ancestorOrSelf(target, random, 3);
    if (ancestor) churn(ancestor, random);
  }
  for (const el of allElements(doc)) if (random() < 0.2) churn(el, random);
}

/** Applies one synthetic redeploy (or all of them, in order, for `combined`). */
export function mutate(doc: Document, kind: MutationKind, random: Random, targets: readonly Element[]): void {
  const kinds = kind === 'combined' ? MUTATIONS : [kind];
  for (const step of kinds) {
    if (step === 'rehash') rehash(doc, random);
    else if (step === 'ids') renumberIds(doc, random);
    else if (step === 'siblings') insertSiblings(doc, random, targets);
    else if (step === 'wrappers') addWrappers(doc, random, targets);
    else if (step === 'state') toggleStates(doc, random, targets);
    else churnAttributes(doc, random, targets);
  }
}
