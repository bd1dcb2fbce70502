// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { elementTriggerSchema, type ElementTrigger } from '../../../lib/shared/trigger';
import { couldMatch, findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import { prng, useBrowserLikeAttr } from '../selector/fixtures';
import { mutate, MUTATIONS, type MutationKind } from '../../../lib/redeploys/mutations';

beforeAll(useBrowserLikeAttr);

const TAGS = ['div', 'span', 'ul', 'li', 'a', 'button', 'section', 'p', 'input', 'img', 'my-widget', 'svg'];
const CLASSES = [
  'btn',
  'card',
  'item',
  'nav',
  'primary',
  'css-1x2y3z',
  'sc-abc123',
  'p-4',
  'is-active',
  'Button_x__a8Fk2',
  'x:y',
];
const IDS = ['main', 'dup', 'dup', ':r1:', 'ember12', '1st', 'a"b'];
const TEXTS = ['', 'Buy', 'Buy', 'Add to cart', 'Read more', 'Cart (3)', '“quoted”', '  spaced   out  '];
const VALUES = ['x', 'x', 'y z', '/p/1', 'a"b', "it's", 'line\nbreak', '3fa85f64-5717-4562-b3fc-2c963f66afa6'];
const ATTRIBUTES = ['data-testid', 'name', 'href', 'aria-label', 'title', 'type', 'role', 'data-sku', 'style'];

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function randomElement(random: Random, depth: number): Element {
  const el = document.createElement(pick(random, TAGS));
  if (random() < 0.5) {
    const count = 1 + Math.floor(random() * 3);
    el.setAttribute('class', Array.from({ length: count }, () => pick(random, CLASSES)).join(' '));
  }
  if (random() < 0.15) el.id = pick(random, IDS);
  for (let i = Math.floor(random() * 3); i > 0; i--) el.setAttribute(pick(random, ATTRIBUTES), pick(random, VALUES));
  if (random() < 0.5) el.append(pick(random, TEXTS));
  if (depth < 5) {
    for (let i = Math.floor(random() * 4); i > 0; i--) el.append(randomElement(random, depth + 1));
  }
  return el;
}

function randomPage(seed: number): Element[] {
  const random = prng(seed);
  document.body.replaceChildren();
  for (let i = 1 + Math.floor(random() * 4); i > 0; i--) document.body.append(randomElement(random, 0));
  const elements = Array.from(document.body.querySelectorAll('*'));
  // Some custom elements get an open shadow tree, so targets also sit behind shadow hosts.
  for (const host of Array.from(document.body.querySelectorAll('my-widget'))) {
    if (random() < 0.5) continue;
    const shadow = host.attachShadow({ mode: 'open' });
    for (let i = 1 + Math.floor(random() * 3); i > 0; i--) shadow.append(randomElement(random, 3));
    elements.push(...Array.from(shadow.querySelectorAll('*')));
  }
  // A few targets per page, spread over the tree.
  return Array.from({ length: Math.min(4, elements.length) }, () => pick(random, elements));
}

describe('describeElement and findMatches on random DOMs', () => {
  it('never throw, stay schema-valid, and round-trip in unique mode on 200 seeded trees with shadow roots', () => {
    let checked = 0;
    let inShadow = 0;
    for (let seed = 1; seed <= 200; seed++) {
      for (const el of randomPage(seed)) {
        const context = `seed ${seed}: ${el.outerHTML.slice(0, 120)}`;
        const trigger = describeElement(el);
        expect(elementTriggerSchema.safeParse(trigger).success, context).toBe(true);
        expect(findMatches(trigger, document), context).toEqual([el]);
        expect(couldMatch(trigger, [document, el.parentElement, el]), context).toBe(true);
        const similar = describeElement(el, { mode: 'similar' });
        const alike = findMatches(similar, document);
        expect(alike, context).toContain(el);
        for (const match of alike) expect(couldMatch(similar, [match]), context).toBe(true);
        checked++;
        if (trigger.path.length > 0) inShadow++;
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(inShadow).toBeGreaterThan(20);
  }, 30_000);
});

describe('findMatches on random DOMs after seeded synthetic redeploys', () => {
  it.each<MutationKind>([...MUTATIONS, 'combined'])(
    'never throws, returns at most one element, and never a wrong one after %s',
    (kind) => {
      let checked = 0;
      const wrong: string[] = [];
      for (let seed = 1; seed <= 60; seed++) {
        const targets = randomPage(seed).filter((el) => el.getRootNode() === document);
        const triggers = targets.map((el) => JSON.parse(JSON.stringify(describeElement(el))) as ElementTrigger);
        mutate(document, kind, prng(seed * 7919), targets);
        targets.forEach((el, i) => {
          let found: Element[] = [];
          expect(() => (found = findMatches(triggers[i]!, document))).not.toThrow();
          expect(found.length).toBeLessThanOrEqual(1);
          // The tracker's shortcut may only skip clicks findMatches could never have matched.
          for (const match of found) expect(couldMatch(triggers[i]!, [match])).toBe(true);
          if (found.length === 1 && found[0] !== el) wrong.push(`seed ${seed} target ${i}`);
          checked++;
        });
      }
      expect(checked).toBeGreaterThan(150);
      // The contract is "rather [] than a wrong element": every wrong match fails. The three this
      // test found when its 3% allowance was removed (issue #13: siblings seeds 18 and 42,
      // wrappers seed 11) are fixed in lib/matcher and pinned in redeploys.test.ts.
      expect(wrong).toEqual([]);
    },
    30_000,
  );
});
