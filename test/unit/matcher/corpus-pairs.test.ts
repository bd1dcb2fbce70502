// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElementTrigger } from '../../../lib/shared/trigger';
import { findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import { contentKey, TRACKABLE } from '../../../lib/redeploys/content';
import { prng, sample, seedOf } from '../../../lib/redeploys/random';
import { useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

/**
 * Regression cases from the real old→new pairs of the corpus (read in place, never copied):
 * the pairs whose misses shaped the matcher's heuristics. The same element is recognised by
 * content as in `npm run bench:selectors`; a definition made on the old capture must find it
 * on the new one or return [], never another element.
 */
const PAIRS_DIR = path.resolve(import.meta.dirname, '../../../../shared/corpus/pairs');
const PAIRS = [
  'www.abendblatt.de',
  'ma.ttias.be',
  'www.prospectmagazine.co.uk',
  'timesofindia.indiatimes.com',
  'pagesix.com',
  'getnews.jp',
];
const PER_PAIR = 25;

interface ManifestEntry {
  slug: string;
  url: string;
}

const manifest: ManifestEntry[] = fs.existsSync(path.join(PAIRS_DIR, 'manifest.json'))
  ? (JSON.parse(fs.readFileSync(path.join(PAIRS_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[])
  : [];

/** Parses a capture at its URL; iframes and stylesheet links go first (happy-dom would try to load them). */
function parse(file: string, url: string): Document {
  const html = fs
    .readFileSync(file, 'utf8')
    .replace(/<iframe\b[\s\S]*?<\/iframe\s*>/gi, '')
    .replace(/<link\b[^>]*>/gi, '')
    .replace(/<base\b[^>]*>/gi, '');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const base = doc.createElement('base');
  base.setAttribute('href', url);
  doc.head.prepend(base);
  return doc;
}

/** Content key → element, for the keys that occur once on the page. */
function uniqueByContent(doc: Document): Map<string, Element> {
  const byKey = new Map<string, Element | null>();
  for (const el of Array.from(doc.querySelectorAll(TRACKABLE))) {
    if (el.closest('head, noscript, template, svg')) continue;
    const key = contentKey(el);
    if (key) byKey.set(key, byKey.has(key) ? null : el);
  }
  return new Map([...byKey].filter((entry): entry is [string, Element] => entry[1] !== null));
}

const available = PAIRS.map((slug) => manifest.find((entry) => entry.slug === slug)).filter(
  (entry): entry is ManifestEntry => entry !== undefined && fs.existsSync(path.join(PAIRS_DIR, entry.slug, 'new.html')),
);

/** The corpus is part of the checkout CI runs in; only an explicit opt-out skips it. */
const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';

describe.skipIf(SKIP_CORPUS)('findMatches on real old→new page pairs', () => {
  it('finds every pair of the corpus (a missing corpus fails; CLICKTRAIL_SKIP_CORPUS=1 skips on purpose)', () => {
    expect(
      PAIRS.filter((slug) => !available.some((entry) => entry.slug === slug)),
      `missing under ${PAIRS_DIR}`,
    ).toEqual([]);
  });

  it.each(available.map((entry) => [entry.slug, entry] as const))(
    '%s: never another element, and most elements found',
    (slug, entry) => {
      const oldDoc = parse(path.join(PAIRS_DIR, slug, 'old.html'), entry.url);
      const newDoc = parse(path.join(PAIRS_DIR, slug, 'new.html'), entry.url);
      const before = uniqueByContent(oldDoc);
      const after = uniqueByContent(newDoc);
      const shared = sample(
        prng(seedOf(slug)),
        [...before.keys()].filter((key) => after.has(key)),
        PER_PAIR,
      );
      expect(shared.length).toBeGreaterThan(5);
      let found = 0;
      for (const key of shared) {
        const trigger = JSON.parse(JSON.stringify(describeElement(before.get(key)!))) as ElementTrigger;
        const matches = findMatches(trigger, newDoc);
        if (matches.length > 0)
          expect(matches, `${key} → ${matches[0]?.outerHTML.slice(0, 120)}`).toEqual([after.get(key)]);
        if (matches.length === 1) found++;
      }
      expect(found / shared.length).toBeGreaterThanOrEqual(0.8);
    },
    30_000,
  );
});
