// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import { useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

/** Real pages captured by mozilla/readability; read in place, never copied into the repo. */
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/readability');
const PAGES = ['bbc-1', 'cnn', 'wikipedia', 'nytimes-1', 'medium-1', 'yahoo-1'];
const PER_PAGE = 30;

/** The corpus stores `<name>.html`; the upstream layout is `<name>/source.html`. Accept both. */
function pageHtml(name: string): string | undefined {
  for (const file of [path.join(CORPUS, `${name}.html`), path.join(CORPUS, name, 'source.html')]) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  return undefined;
}

/**
 * Parses a captured page. happy-dom prints an error for every iframe and stylesheet it
 * declines to load (loading is disabled, as it should be, and its console cannot be muted
 * from a test), so those elements, which are neither links nor buttons, are dropped first.
 */
function parsePage(html: string): Document {
  const inert = html.replace(/<iframe\b[\s\S]*?<\/iframe\s*>/gi, '').replace(/<link\b[^>]*>/gi, '');
  return new DOMParser().parseFromString(inert, 'text/html');
}

const available = PAGES.map((name) => [name, pageHtml(name)] as const).filter(
  (entry): entry is readonly [string, string] => entry[1] !== undefined,
);

/** The corpus is part of the checkout CI runs in; only an explicit opt-out skips it. */
const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';

describe.skipIf(SKIP_CORPUS)('describeElement and findMatches on real pages', () => {
  it('finds every corpus page (a missing corpus fails; CLICKTRAIL_SKIP_CORPUS=1 skips on purpose)', () => {
    expect(
      PAGES.filter((name) => !available.some(([found]) => found === name)),
      `missing under ${CORPUS}`,
    ).toEqual([]);
  });

  it.each(available)(
    'round-trip up to 30 links and buttons of %s in unique mode',
    (_name, html) => {
      const doc = parsePage(html);
      const clickable = Array.from(doc.querySelectorAll('a[href], button'));
      // Spread the sample over the whole page: navigation, article body and footer.
      const step = Math.max(1, Math.floor(clickable.length / PER_PAGE));
      const sample = clickable.filter((_, i) => i % step === 0).slice(0, PER_PAGE);
      expect(sample.length).toBeGreaterThan(0);
      for (const el of sample) {
        const trigger = describeElement(el);
        expect(findMatches(trigger, doc), `${trigger.selector} for ${el.outerHTML.slice(0, 120)}`).toEqual([el]);
      }
    },
    30_000,
  );
});
