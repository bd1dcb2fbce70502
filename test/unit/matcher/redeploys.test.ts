// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElementTrigger } from '../../../lib/shared/trigger';
import { findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import { render, useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

/** Picks `#t` on `before`, stores the trigger as JSON, then matches it on `after`. */
function pickThenMatch(before: string, after: string): Element[] {
  render(before);
  const trigger = JSON.parse(JSON.stringify(describeElement(document.querySelector('#t')!))) as ElementTrigger;
  render(after);
  return findMatches(trigger, document);
}

const expectOnly = (found: Element[], selector: string) => expect(found).toEqual([document.querySelector(selector)]);

const comment = (user: string, extra = '') =>
  `<div class="x1"><a href="/user/${user}">${user}</a><p>said something</p>${extra}` +
  `<div class="x2"><button class="x3">Reply</button><button class="x3">Save</button></div></div>`;

describe('findMatches after real-world redeploys (one row per page of the corpus it was checked on)', () => {
  it.each([
    [
      'prospectmagazine pair: the headline became an h1 with other classes',
      '<div id="content"><h2 id="t" class="page-title">The Anglosphere: new enthusiasm for an old dream</h2></div>',
      '<header><h1 class="blog-header__title" id="x">The Anglosphere: new enthusiasm for an old dream</h1></header>',
      '#x',
    ],
    [
      'prospectmagazine pair: a social link lost its caption, title and classes but kept its target',
      '<footer><ul><li><a class="fb" href="https://facebook.com/p">Facebook</a></li>' +
        '<li><a id="t" class="tw" title="Twitter" href="https://twitter.com/prospect_uk">Twitter</a></li></ul></footer>',
      '<footer><a class="icon" href="https://facebook.com/p"><svg></svg></a>' +
        '<a id="x" class="icon" title="" href="https://twitter.com/prospect_uk"><svg></svg></a></footer>',
      '#x',
    ],
    [
      'abendblatt pair: the tracking label of a menu link was renumbered when the menu grew',
      '<nav><a data-tracking="menu | 30" href="/politik/">Politik</a><a id="t" data-tracking="menu | 31" href="/sport/">Sport</a></nav>',
      '<nav><a data-tracking="menu | 30" href="/neu/">Neu</a><a data-tracking="menu | 31" href="/politik/">Politik</a>' +
        '<a id="x" data-tracking="menu | 32" href="/sport/">Sport</a></nav>',
      '#x',
    ],
    [
      'ma.ttias.be pair: heading anchors re-slugged by another Markdown engine',
      '<main><h2 id="news-general">News &amp; general</h2><p>x</p><h2 id="t">Tools &amp; Projects</h2></main>',
      '<main><h2 id="news--general-">News &amp; general</h2><p>x</p><h2 id="x">Tools &amp; Projects</h2></main>',
      '#x',
    ],
  ])('%s', (_name, before, after, expected) => {
    expectOnly(pickThenMatch(before, after), expected);
  });

  it('iij techlog pair: never the captionless logo that the old link target now names', () => {
    const found = pickThenMatch(
      '<aside><ul><li><a id="t" href="http://www.iij.ad.jp/">IIJ Website</a></li></ul></aside>',
      '<header><a id="logo" href="http://www.iij.ad.jp/"><img src="/logo.png"></a></header>' +
        '<aside><ul><li><a id="x" href="https://www.iij.ad.jp/">IIJ Website</a></li></ul></aside>',
    );
    // The good selector singles out the logo, the fingerprint prefers the captioned link: too close to call.
    expect(found).not.toContain(document.querySelector('#logo'));
  });

  it('reddit comment pages: an identical "Save" button is found by its comment after comments are reordered', () => {
    render(`<main>${comment('ann')}${comment('bob')}${comment('cy')}</main>`);
    const save = document.querySelectorAll('button')[3]!; // bob's Save
    const trigger = JSON.parse(JSON.stringify(describeElement(save))) as ElementTrigger;
    expect(trigger.fingerprint.context).toBe('a /user/bob');
    render(`<main>${comment('new')}${comment('cy')}<div class="wrap">${comment('bob')}</div>${comment('ann')}</main>`);
    const bobs = document.querySelector('a[href="/user/bob"]')!.parentElement!.querySelectorAll('button')[1];
    expect(findMatches(trigger, document)).toEqual([bobs]);
  });

  it('wapo-1: twins with the same context are found on the unchanged page, [] once positions shift', () => {
    const menu = '<p><a href="/">Home</a></p><p><a href="/terms">Terms of Service</a></p>';
    const page = `<header><div>${menu}</div></header><footer><div id="t-wrap">${menu}</div></footer>`;
    render(page);
    const footerTerms = document.querySelectorAll('a[href="/terms"]')[1]!;
    const trigger = JSON.parse(JSON.stringify(describeElement(footerTerms))) as ElementTrigger;
    expect(trigger.fingerprint.context).toBeUndefined();
    expect(findMatches(trigger, document)).toEqual([footerTerms]);
    // A new first paragraph moves the footer link; a positional selector would now name another one.
    render(page.replace('<div id="t-wrap">', '<div id="t-wrap"><p><a href="/new">New</a></p>'));
    const found = findMatches(trigger, document);
    expect(found.length === 0 || found[0] === document.querySelectorAll('a[href="/terms"]')[1]).toBe(true);
  });

  it('synthetic siblings: an inserted look-alike image does not take the place of the picked one', () => {
    const card = (file: string, id = '') => `<li class="card"><img ${id} class="thumb" src="/img/${file}"></li>`;
    render(`<ul>${card('a.jpg')}${card('b.jpg', 'id="t"')}${card('c.jpg')}</ul>`);
    const trigger = JSON.parse(JSON.stringify(describeElement(document.querySelector('#t')!))) as ElementTrigger;
    render(`<ul>${card('inserted-1.png')}${card('a.jpg')}${card('b.jpg', 'id="x"')}${card('c.jpg')}</ul>`);
    expectOnly(findMatches(trigger, document), '#x');
  });

  /** Picks `selector` on `before`, stores the trigger as JSON, then matches it on `after`. */
  function pickAtThenMatch(before: string, selector: string, after: string): Element[] {
    render(before);
    const trigger = JSON.parse(JSON.stringify(describeElement(document.querySelector(selector)!))) as ElementTrigger;
    render(after);
    return findMatches(trigger, document);
  }

  it.each([
    [
      'fuzz siblings seed 18: a paragraph with a title is not the bare one its position now names',
      '<p title="it\'s" name="x"><span>spaced out</span></p><p class="is-active">spaced out</p>',
      'p:nth-of-type(2)',
      '<p class="is-active">Inserted 1</p><p title="it\'s" name="x"><span>spaced out</span></p><p class="is-active">spaced out</p>',
      'p[title]',
    ],
    [
      'fuzz siblings seed 42: an input with a title is not the bare one its position now names',
      '<form><input title="x"><input class="sc-abc123 p-4"></form>',
      'input.p-4',
      '<form><input class="sc-abc123 p-4" value="Inserted 1"><input title="x"><input class="sc-abc123 p-4"></form>',
      'input[title]',
    ],
    [
      'fuzz wrappers seed 11: a div wrapped around the picked div is not taken for it',
      '<section><a class="primary" href="/x">Read more<div class="Button_x__a8Fk2" id="1st"><p>Buy</p></div><span>Go</span></a></section>',
      'a > div',
      '<section><a class="primary" href="/x">Read more<div><div class="Button_x__a8Fk2" id="1st"><p>Buy</p></div></div><span>Go</span></a></section>',
      'a > div',
    ],
  ])('%s', (_name, before, picked, after, impostor) => {
    const found = pickAtThenMatch(before, picked, after);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(found).not.toContain(document.querySelector(impostor));
  });

  it('an outer div picked around an equally fitting inner one is still found on the unchanged page', () => {
    const page = '<section><a class="primary" href="/x">Read more<div><div><p>Buy</p></div></div></a></section>';
    const found = pickAtThenMatch(page, 'a > div', page);
    expect(found).toEqual([document.querySelector('a > div')]);
  });

  it('returns [] for identical elements whose positions all moved and whose context is gone', () => {
    const list = (n: number) =>
      `<ul>${Array.from({ length: n }, () => `<li><a class="more" href="javascript:void(0)">More</a></li>`).join('')}</ul>`;
    render(`<div>${list(4)}</div>`);
    const trigger = JSON.parse(JSON.stringify(describeElement(document.querySelectorAll('a')[2]!))) as ElementTrigger;
    render(`<div><section>${list(5)}</section></div>`);
    expect(findMatches(trigger, document)).toEqual([]);
  });
});
