// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../../lib/shared/trigger';
import {
  elementContext,
  imageName,
  kindSelector,
  sameContext,
  sameKind,
  sameLinkTarget,
  scoreCandidate,
} from '../../../lib/matcher';

/**
 * One table per matcher heuristic, each row named after the real page of the corpus
 * (`../shared/corpus/pairs/<site>/{old,new}.html` or a single capture) it was checked on.
 */

const element = (html: string, selector = 'body > *'): Element => {
  document.body.innerHTML = html;
  return document.querySelector(selector)!;
};

const fingerprint = (extra: Partial<Fingerprint>): Fingerprint => ({
  tag: 'a',
  classes: [],
  attributes: {},
  ancestors: [],
  ...extra,
});

describe('sameKind', () => {
  it.each([
    ['h4', 'h2', true, 'timesofindia pair: "Trending Topics" went from h2 to h4'],
    ['h2', 'h1', true, 'prospectmagazine pair: the headline became an h1'],
    ['h3', 'h2', true, 'github pair: the README "Box-title"'],
    ['a', 'a', true, 'every tag matches itself'],
    ['button', 'a', false, 'a button that became a link is another control'],
    ['h2', 'div', false, 'a heading is not a div'],
  ])('sameKind(%j, %j) is %s (%s)', (recorded, actual, same) => {
    expect(sameKind(recorded, actual)).toBe(same);
  });

  it('queries every heading level for a heading', () => {
    expect(kindSelector('h3')).toBe('h1, h2, h3, h4, h5, h6');
    expect(kindSelector('button')).toBe('button');
  });
});

describe('sameLinkTarget', () => {
  it.each([
    ['//money.cnn.com/news/companies/', '/news/companies/', true, 'money.cnn pair: absolute old, relative new'],
    ['/p/shoe?ref=home', '/p/shoe/?ref=nav', true, 'tracking parameters and a trailing slash'],
    ['#id3', '#id2', false, 'mercurial: in-page anchors differ by their fragment alone'],
    ['#cite_ref-93', '#cite_ref-93', true, 'wikipedia-2 footnote links'],
    ['//a.example/x', '//b.example/x', false, 'same path on another host'],
  ])('%j vs %j: %s (%s)', (a, b, same) => {
    expect(sameLinkTarget(a, b)).toBe(same);
  });
});

describe('imageName', () => {
  it.each([
    [
      '<img src="https://i2.cdn.turner.com/money/dam/assets/161118-ohare-strike-1024x576.jpg?w=780">',
      '161118-ohare-strike-1024x576.jpg',
      'money.cnn pair: query strings dropped',
    ],
    ['<img src="/cache/img/16/13/19/3998163.jpg" alt="EvilSpark">', '3998163.jpg', 'pastebin pair'],
    [
      '<img src="data:image/gif;base64,R0lGOD" data-src="https://x.example/a/Photo.JPG">',
      'photo.jpg',
      'lazy-image-2 and deadspin: placeholder src, real file in data-src',
    ],
    [
      '<img srcset="https://x.example/w500/cover.webp 500w, https://x.example/w900/cover.webp 900w">',
      'cover.webp',
      'al.com',
    ],
    ['<a href="http://www.neol.jp"><img src="/logos/neol.png"></a>', 'neol.png', 'getnews pair: an image link'],
    ['<a href="/x">text only</a>', undefined, 'no image'],
  ])('reads %s as %j (%s)', (html: string, name: string | undefined, _why: string) => {
    expect(imageName(element(html))).toBe(name);
  });
});

describe('elementContext', () => {
  it.each([
    [
      'reddit comment toolbars: the author link of its own comment',
      '<div class="c"><a href="/user/ann">ann</a><p>text</p><div><button id="t">Save</button></div></div>' +
        '<div class="c"><a href="/user/bob">bob</a><p>text</p><div><button>Save</button></div></div>',
      'a /user/ann',
    ],
    [
      'demo shop and nytimes story cards: the card title wins over links',
      '<ul><li><a href="/p/1">img</a><h3>Rain-glaze bowl</h3><button id="t">Add to cart</button></li></ul>',
      'h Rain-glaze bowl',
    ],
    [
      'a link inside its own heading does not name itself',
      '<article><h2><a id="t" href="/story">Story</a></h2><a href="/author">Author</a></article>',
      'a /author',
    ],
    ['nothing around it', '<div><button id="t">Lonely</button></div>', undefined],
  ])('%s', (_name, html, context) => {
    expect(elementContext(element(html, '#t'))).toBe(context);
  });

  it('is unchanged by an inserted wrapper div (synthetic redeploy)', () => {
    const before = elementContext(element('<li><h3>Bowl</h3><div><button id="t">Add</button></div></li>', '#t'));
    const after = elementContext(
      element('<li><h3>Bowl</h3><div class="wrapper"><div><button id="t">Add</button></div></div></li>', '#t'),
    );
    expect(after).toBe(before);
  });

  it('stays bounded on a huge card', () => {
    const links = '<span>x</span>'.repeat(2000);
    expect(elementContext(element(`<div>${links}<button id="t">Go</button><a href="/late">late</a></div>`, '#t'))).toBe(
      undefined,
    );
  });
});

describe('sameContext', () => {
  it.each([
    ['a /tag/sofia-vergara/', 'a //pagesix.com/tag/sofia-vergara/', true, 'pagesix pair: the same tag link re-spelled'],
    ['h Rain-glaze bowl', 'h Rain-glaze  Bowl', true, 'whitespace and case'],
    ['h Rain-glaze bowl', 'h Speckled mug', false, 'another card'],
    ['a /user/ann', 'h ann', false, 'a link is not a heading'],
    ['a /user/ann', undefined, false, 'no context'],
  ])('%j vs %j: %s (%s)', (recorded: string, actual: string | undefined, same: boolean, _why: string) => {
    expect(sameContext(recorded, actual)).toBe(same);
  });
});

describe('scoreCandidate heuristics', () => {
  it.each([
    [
      'abendblatt pair: a tracking label whose running number changed is weaker, not a contradiction',
      fingerprint({ attributes: { 'data-tracking': 'menu - main - level 2 | 30' }, text: 'Ausland' }),
      '<a data-tracking="menu - main - level 2 | 32">Ausland</a>',
      'scored',
    ],
    [
      'a tracking label with other words still contradicts',
      fingerprint({ attributes: { 'data-tracking': 'menu - main' }, text: 'Ausland' }),
      '<a data-tracking="footer - legal">Ausland</a>',
      'rejected',
    ],
    [
      'prospectmagazine and pagesix pairs: an h2 that became an h1',
      fingerprint({ tag: 'h2', text: 'The Anglosphere: new enthusiasm for an old dream' }),
      '<h1>The Anglosphere: new enthusiasm for an old dream</h1>',
      'scored',
    ],
    [
      'mercurial (renumbered ids): another in-page anchor is another link',
      fingerprint({ href: '#id3', text: 'Setting up' }),
      '<a href="#id2">Setting up</a>',
      'rejected',
    ],
  ])('%s', (_name, fp, html, verdict) => {
    const score = scoreCandidate(fp, element(html));
    if (verdict === 'rejected') expect(score).toBeNull();
    else expect(score).not.toBeNull();
  });

  it.each([
    [
      'ma.ttias.be pair: heading ids slugged by another Markdown engine agree',
      fingerprint({ tag: 'h2', id: 'is-bgp-safe-yet-no-https-isbgpsafeyet-com', text: 'Is BGP safe yet? No.' }),
      '<h2 id="is-bgp-safe-yet-nohttpsisbgpsafeyetcom">Is BGP safe yet? No.</h2>',
      '<h2 id="other-section">Is BGP safe yet? No.</h2>',
    ],
    [
      'money.cnn, pastebin pairs and synthetic look-alikes: the image file name',
      fingerprint({ tag: 'img', image: '3998163.jpg' }),
      '<img src="/cache/img/3998163.jpg">',
      '<img src="/inserted-19.png">',
    ],
    [
      'getnews pair: an image link that had no caption prefers a captionless candidate',
      fingerprint({ href: '//www.neol.jp/', image: 'neol.png' }),
      '<a href="http://www.neol.jp/"><img src="/l/neol.png"></a>',
      '<a href="http://www.neol.jp/">http://www.neol.jp/</a>',
    ],
  ])('%s', (_name, fp, better, worse) => {
    const high = scoreCandidate(fp, element(better))!;
    const low = scoreCandidate(fp, element(worse))!;
    expect(high.score).toBeGreaterThan(low.score);
  });
});
