// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { describeElement, fingerprintOf, twinsOf } from '../../../lib/selector';
import { render, shopHtml, useBrowserLikeAttr } from './fixtures';

beforeAll(useBrowserLikeAttr);

/** One table per selector-side heuristic, each row named after the real page it was checked on. */

const all = (root: ParentNode, selector: string) => Array.from(root.querySelectorAll(selector));
const target = () => document.querySelector('#t')!;

describe('twinsOf', () => {
  it.each([
    [
      'wapo-1: header and footer menus repeat the same link',
      '<header><a href="/terms">Terms</a></header><footer><a id="t" href="/terms">Terms</a></footer>',
      1,
    ],
    ['ars-1: share links at the top and bottom, other text', '<a href="/s">Share</a><a id="t" href="/s">Tweet</a>', 0],
    [
      'reddit comment toolbars: identical buttons with the same classes',
      '<div><button class="b">Save</button></div><div><button id="t" class="b">Save</button></div><button>Save</button>',
      1,
    ],
    ['keep-tabular-data: identical icons', '<img src="/ok.png"><img id="t" src="/ok.png"><img src="/no.png">', 1],
  ])('%s', (_name, html, count) => {
    render(html);
    expect(twinsOf(target())).toHaveLength(count);
  });
});

describe('fingerprintOf', () => {
  it.each([
    [
      'demo shop and nytimes story cards: the card title',
      '<ul><li><h3>Bowl</h3><button id="t">Add</button></li><li><h3>Mug</h3><button>Add</button></li></ul>',
      'h Bowl',
    ],
    [
      'reddit comment toolbars: the author link of the comment',
      '<div><a href="/user/ann">ann</a><div><button id="t">Save</button></div></div>' +
        '<div><a href="/user/bob">bob</a><div><button>Save</button></div></div>',
      'a /user/ann',
    ],
    [
      'wapo-1: dropped when a twin has the same context (it would tell nothing apart)',
      '<div><a href="/">Home</a><p><a id="t" href="/terms">Terms</a></p></div>' +
        '<div><a href="/">Home</a><p><a href="/terms">Terms</a></p></div>',
      undefined,
    ],
  ])('records the context: %s', (_name, html, context) => {
    render(html);
    expect(fingerprintOf(target()).context).toBe(context);
  });

  it.each([
    ['pastebin pair: an image', '<img id="t" src="/cache/img/3998163.jpg?x=1" alt="EvilSpark">', '3998163.jpg'],
    ['getnews pair: an image link', '<a id="t" href="http://www.neol.jp"><img src="/logos/neol.png"></a>', 'neol.png'],
    ['a text link has none', '<a id="t" href="/x">x</a>', undefined],
  ])('records the image file: %s', (_name, html, image) => {
    render(html);
    expect(fingerprintOf(target()).image).toBe(image);
  });
});

describe('describeElement alternatives', () => {
  it('record how many elements each matched, and keep the structural path as a witness', () => {
    render(shopHtml());
    const button = all(document, 'button.add-to-cart')[1]!;
    const trigger = describeElement(button);
    expect(trigger.alternatives.length).toBeGreaterThanOrEqual(3);
    for (const alternative of trigger.alternatives) {
      expect(alternative.matchCount).toBe(all(document, alternative.selector).length);
    }
    expect(trigger.alternatives.some((a) => a.selector.startsWith(':root > '))).toBe(true);
  });

  it.each([
    [
      'an id',
      '<div id="sidebar"><ul><li>a</li><li><a id="t">b</a></li></ul></div><ul><li><a>c</a></li></ul>',
      '#sidebar',
    ],
    [
      'a data attribute (sandiegouniontribune `data-click`)',
      '<li data-click="nav4"><div><a>x</a><a id="t">y</a></div></li><li><div><a>x</a><a>y</a></div></li>',
      'li[data-click="nav4"]',
    ],
    [
      'stable classes (wapo `site-menu-info`)',
      '<div class="site-menu-info"><p><a>x</a></p><p><a id="t">y</a></p></div><div><p><a>x</a></p><p><a>y</a></p></div>',
      'div.site-menu-info',
    ],
  ])('include a positional path anchored on the nearest ancestor with %s', (_name, html, anchor) => {
    render(html);
    const trigger = describeElement(target());
    const anchored = [trigger, ...trigger.alternatives].find((c) => c.selector.startsWith(`${anchor} > `));
    expect(anchored, JSON.stringify(trigger.alternatives)).toBeDefined();
    expect(all(document, anchored!.selector)).toEqual([target()]);
  });

  it('does not anchor on a repeated container with :has() when hundreds of elements share the tag (reddit)', () => {
    const comments = Array.from(
      { length: 120 },
      (_, i) => `<div class="comment"><a href="/user/u${i}">u${i}</a><button>Reply</button></div>`,
    );
    render(`<main>${comments.join('')}</main>`);
    const trigger = describeElement(all(document, 'button')[60]!);
    for (const { selector } of [trigger, ...trigger.alternatives]) expect(selector).not.toContain(':has(');
    expect(all(document, trigger.selector)).toEqual([all(document, 'button')[60]]);
  });
});
