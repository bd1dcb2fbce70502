// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../../lib/shared/trigger';
import { compareText, elementText, hrefPath, normaliseText, scoreCandidate } from '../../../lib/matcher';

const element = (html: string): Element => {
  document.body.innerHTML = html;
  return document.body.firstElementChild!;
};

const fingerprint = (extra: Partial<Fingerprint>): Fingerprint => ({
  tag: 'button',
  classes: [],
  attributes: {},
  ancestors: [],
  ...extra,
});

describe('normaliseText', () => {
  it.each([
    ['  Add \n\t to   cart ', 'Add to cart'],
    ['a\u00a0b', 'a b'],
    ['zero\u200bwidth', 'zerowidth'],
    ['', ''],
  ])('normalises %j to %j', (input, output) => {
    expect(normaliseText(input)).toBe(output);
  });

  it('cuts without splitting a surrogate pair', () => {
    expect(normaliseText(`${'a'.repeat(199)}😀`)).toBe('a'.repeat(199));
  });
});

describe('elementText', () => {
  it.each([
    ['<button>Add <b>to</b> cart</button>', 'Add to cart'],
    ['<div><p>One</p><p>Two</p></div>', 'One Two'],
    ['<a>Go<script>x()</script><style>a{}</style><span hidden>no</span><i aria-hidden="true">★</i></a>', 'Go'],
    ['<input type="submit" value=" Send ">', 'Send'],
    ['<input type="text" value="typed by the user">', undefined],
  ])('reads %s as %j', (html, text) => {
    expect(elementText(element(html))).toBe(text);
  });
});

describe('hrefPath', () => {
  it.each([
    ['<a href="/p/shoe?x=1#top">a</a>', '/p/shoe?x=1#top'],
    ['<a href="#section">a</a>', '#section'],
    ['<a href="mailto:a@b.c">a</a>', 'mailto:a@b.c'],
    ['<a href="javascript:void(0)">a</a>', undefined],
    ['<a href="https://other.example/x">a</a>', '//other.example/x'],
    ['<a>a</a>', undefined],
  ])('reads %s as %j', (html, href) => {
    expect(hrefPath(element(html))).toBe(href);
  });
});

describe('compareText', () => {
  it.each([
    ['Add to cart', 'Add to cart', 'equal'],
    ['Add to cart', 'ADD TO CART!', 'similar'],
    ['Cart (3)', 'Cart (12)', 'similar'],
    ['Add to cart', 'Add to cart now', 'partial'],
    ['Add to card', 'Add to cart', 'partial'],
    ['Add to cart', 'Add to wishlist', 'contradicts'],
    ['Checkout', 'Help', 'contradicts'],
    ['Delete account', 'Save', 'contradicts'],
    [
      'The quick brown fox jumps over the lazy dog today',
      'The quick brown fox jumps over the lazy cat today',
      'partial',
    ],
    [
      'The quick brown fox jumps over the lazy dog',
      'Completely different long paragraph about other things',
      'contradicts',
    ],
  ])('relates %j to %j as %s', (a, b, relation) => {
    expect(compareText(a, b)).toBe(relation);
  });
});

describe('scoreCandidate', () => {
  it.each([
    ['a different tag', fingerprint({}), '<a>Buy</a>'],
    [
      'a different test attribute',
      fingerprint({ attributes: { 'data-testid': 'buy' } }),
      '<button data-testid="sell">Buy</button>',
    ],
    ['a contradicting text', fingerprint({ text: 'Buy now' }), '<button>Remove item</button>'],
    ['another link target', fingerprint({ tag: 'a', href: '/p/shoe' }), '<a href="/p/hat">Shoe</a>'],
    [
      'an input of another type',
      fingerprint({ tag: 'input', attributes: { type: 'email' } }),
      '<input type="checkbox">',
    ],
  ])('rejects %s', (_name, fp, html) => {
    expect(scoreCandidate(fp, element(html))).toBeNull();
  });

  it('scores a full agreement at its maximum', () => {
    const fp = fingerprint({
      id: 'buy',
      classes: ['btn'],
      text: 'Buy',
      role: 'button',
      attributes: { type: 'button' },
    });
    const score = scoreCandidate(fp, element('<button id="buy" class="btn" type="button">Buy</button>'));
    expect(score).not.toBeNull();
    expect(score!.score).toBe(score!.max);
  });

  it('scores a renamed class lower than a kept one', () => {
    const fp = fingerprint({ classes: ['checkout'], text: 'Checkout' });
    const kept = scoreCandidate(fp, element('<button class="checkout">Checkout</button>'))!;
    const renamed = scoreCandidate(fp, element('<button class="pay">Checkout</button>'))!;
    expect(kept.score).toBeGreaterThan(renamed.score);
  });

  it('treats a same-path link with another query string as agreeing', () => {
    const fp = fingerprint({ tag: 'a', href: '/p/shoe?ref=home' });
    expect(scoreCandidate(fp, element('<a href="/p/shoe/?ref=nav">x</a>'))!.score).toBeGreaterThan(0);
  });
});
