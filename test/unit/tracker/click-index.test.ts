// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { couldBeMatch, couldMatch } from '../../../lib/matcher';
import { prng, sample, seedOf } from '../../../lib/redeploys/random';
import { describeElement } from '../../../lib/selector';
import type { TrackerConfig } from '../../../lib/shared';
import { clickIndex } from '../../../lib/tracker/click-index';
import { useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

type Definition = TrackerConfig['definitions'][number];

/**
 * The index may only leave out definitions a click cannot fire: for clicks on real pages, every
 * definition whose trigger could match an element of the click's path (`couldBeMatch`, the
 * necessary condition) must be among the candidates. Checked on the corpus's real pages, whose
 * links are written every which way (relative, absolute, other hosts, anchors, javascript:).
 */
const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus/readability');
const PAGES = ['nytimes-1', 'bbc-1', 'medium-1'];
const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';

function parse(name: string): Document {
  const html = fs
    .readFileSync(path.join(CORPUS, `${name}.html`), 'utf8')
    .replace(/<iframe\b[\s\S]*?<\/iframe\s*>/gi, '')
    .replace(/<link\b[^>]*>/gi, '');
  return new DOMParser().parseFromString(html, 'text/html');
}

const pathOf = (el: Element): EventTarget[] => {
  const targets: EventTarget[] = [];
  for (let node: Element | null = el; node; node = node.parentElement) targets.push(node);
  return targets;
};

describe.skipIf(SKIP_CORPUS)('clickIndex', () => {
  it.each(PAGES)(
    '%s: never leaves out a definition the click could fire, and leaves out most',
    (name) => {
      const doc = parse(name);
      const clickable = Array.from(doc.querySelectorAll('a, button, [role="button"]'));
      const random = prng(seedOf(name));
      const definitions: Definition[] = sample(random, clickable, 25).flatMap((el, i) =>
        (['unique', 'similar'] as const).map((mode) => ({
          name: `d${i}${mode}`,
          fullyQualifiedName: `pe1_d${i}${mode}`,
          trigger: { kind: 'click' as const, url: { match: 'any' as const }, element: describeElement(el, { mode }) },
        })),
      );
      const candidates = clickIndex(definitions);
      let offered = 0;
      for (const clicked of sample(random, clickable, 60)) {
        const targets = pathOf(clicked);
        const chosen = new Set(candidates(targets));
        offered += chosen.size;
        for (const definition of definitions) {
          const trigger = definition.trigger;
          if (trigger.kind !== 'click') continue;
          const could = targets.some((target) => couldBeMatch(trigger.element, target as Element));
          if (could)
            expect(chosen.has(definition), `${definition.name} for ${clicked.outerHTML.slice(0, 100)}`).toBe(true);
          // Nor offers one that no element of the path is of the kind of (the tracker would skip it).
          if (chosen.has(definition)) expect(couldMatch(trigger.element, targets), definition.name).toBe(true);
        }
      }
      // Similar-mode definitions are always offered; most unique-mode link definitions are not.
      expect(offered / 60).toBeLessThan(definitions.length * 0.75);
    },
    60_000,
  );

  it('offers every definition of a kind for an element of that kind without a usable href', () => {
    document.body.innerHTML = '<a id="x">No target</a><a href="javascript:void 0" id="y">Script</a>';
    const definitions: Definition[] = [
      {
        name: 'pricing',
        fullyQualifiedName: 'pe1_pricing',
        trigger: {
          kind: 'click',
          url: { match: 'any' },
          element: {
            mode: 'unique',
            selector: 'a',
            quality: 'good',
            reasons: [],
            alternatives: [],
            path: [],
            fingerprint: { tag: 'a', href: '/pricing', classes: [], attributes: {}, ancestors: [] },
          },
        },
      },
    ];
    const candidates = clickIndex(definitions);
    expect(candidates([document.querySelector('#x')!])).toHaveLength(1);
    expect(candidates([document.querySelector('#y')!])).toHaveLength(1);
    expect(candidates([document.body])).toHaveLength(0);
  });

  it('offers a definition without a link target only for a click on an element of its kind', () => {
    document.body.innerHTML = '<h2 id="h">Pricing</h2><button id="b">Buy</button><div id="d">Text</div>';
    const definition = (name: string, tag: string, mode: 'unique' | 'similar'): Definition => ({
      name,
      fullyQualifiedName: `pe1_${name}`,
      trigger: {
        kind: 'click',
        url: { match: 'any' },
        element: {
          mode,
          selector: tag,
          quality: 'good',
          reasons: [],
          alternatives: [],
          path: [],
          fingerprint: { tag, classes: [], attributes: {}, ancestors: [] },
        },
      },
    });
    const definitions = [definition('buy', 'button', 'unique'), definition('heading', 'h3', 'similar')];
    const candidates = clickIndex(definitions);
    const at = (id: string) => candidates([document.getElementById(id)!, document.body]).map((d) => d.name);
    expect(at('b')).toEqual(['buy']);
    // Heading levels are one kind (`sameKind`).
    expect(at('h')).toEqual(['heading']);
    expect(at('d')).toEqual([]);
  });
});
