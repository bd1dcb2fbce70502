// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { couldBeMatch, findMatches } from '../../../lib/matcher';
import { contentKey, TRACKABLE } from '../../../lib/redeploys/content';
import { prng, sample, seedOf } from '../../../lib/redeploys/random';
import { describeElement } from '../../../lib/selector';
import type { ElementTrigger } from '../../../lib/shared/trigger';
import { useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

/**
 * `couldBeMatch` lets the tracker skip the page search for definitions a click cannot fire. It is
 * only correct if it is never false for an element `findMatches` returns: checked here on the
 * corpus's real old→new pairs (definitions made on the old capture, matched on the new one, where
 * the matcher has to work hardest), and shown to prune most other clicks.
 */
const PAIRS_DIR = path.resolve(import.meta.dirname, '../../../../shared/corpus/pairs');
const PAIRS = ['www.abendblatt.de', 'ma.ttias.be', 'www.prospectmagazine.co.uk', 'pagesix.com', 'getnews.jp'];
const PER_PAIR = 40;

/** Read inside the tests, so a missing corpus fails them (and the opt-out below can skip them). */
const manifest = (): { slug: string; url: string }[] =>
  JSON.parse(fs.readFileSync(path.join(PAIRS_DIR, 'manifest.json'), 'utf8')) as { slug: string; url: string }[];

/** The corpus is part of the checkout CI runs in; only an explicit opt-out skips it. */
const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';

function parse(file: string): Document {
  const html = fs
    .readFileSync(file, 'utf8')
    .replace(/<iframe\b[\s\S]*?<\/iframe\s*>/gi, '')
    .replace(/<link\b[^>]*>/gi, '')
    .replace(/<base\b[^>]*>/gi, '');
  return new DOMParser().parseFromString(html, 'text/html');
}

const trackable = (doc: Document) =>
  Array.from(doc.querySelectorAll(TRACKABLE)).filter(
    (el) => !el.closest('head, noscript, template, svg') && contentKey(el),
  );

describe.skipIf(SKIP_CORPUS)('couldBeMatch', () => {
  it.each(PAIRS)(
    '%s: true for everything findMatches returns, false for most other elements of the page',
    (slug) => {
      expect(
        manifest().some((entry) => entry.slug === slug),
        `${slug} in the corpus`,
      ).toBe(true);
      const oldDoc = parse(path.join(PAIRS_DIR, slug, 'old.html'));
      const newDoc = parse(path.join(PAIRS_DIR, slug, 'new.html'));
      const picked = sample(prng(seedOf(slug)), trackable(oldDoc), PER_PAIR);
      const others = sample(prng(seedOf(`${slug}-others`)), trackable(newDoc), PER_PAIR);
      let pruned = 0;
      let judged = 0;
      for (const el of picked) {
        for (const mode of ['unique', 'similar'] as const) {
          const trigger = JSON.parse(JSON.stringify(describeElement(el, { mode }))) as ElementTrigger;
          for (const match of [...findMatches(trigger, newDoc), ...findMatches(trigger, oldDoc)]) {
            expect(couldBeMatch(trigger, match), `${trigger.selector} → ${match.outerHTML.slice(0, 120)}`).toBe(true);
          }
          if (mode !== 'unique') continue;
          const matches = new Set(findMatches(trigger, newDoc));
          for (const other of others) {
            if (matches.has(other)) continue;
            judged++;
            if (!couldBeMatch(trigger, other)) pruned++;
          }
        }
      }
      // A click on a random element of the page skips the search for most definitions.
      expect(pruned / judged).toBeGreaterThan(0.6);
    },
    60_000,
  );
});
