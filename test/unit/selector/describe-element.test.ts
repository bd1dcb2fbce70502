// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { elementTriggerSchema } from '../../../lib/shared/trigger';
import { createBudget, describeElement, fingerprintOf, WORK_BUDGET } from '../../../lib/selector';
import { render, shopHtml, useBrowserLikeAttr } from './fixtures';

beforeAll(useBrowserLikeAttr);

const all = (root: ParentNode, selector: string) => Array.from(root.querySelectorAll(selector));

describe('describeElement', () => {
  it('prefers a test attribute over id, classes and text', () => {
    render(
      '<button id="buy" class="btn primary" data-testid="buy-now" aria-label="Buy">Buy</button><button>Other</button>',
    );
    const trigger = describeElement(document.querySelector('button')!);
    expect(trigger.selector).toBe('[data-testid="buy-now"]');
    expect(trigger.quality).toBe('good');
    expect(trigger.reasons).toContain('test attribute');
  });

  it('prefers a stable id over classes', () => {
    render('<button id="checkout" class="btn">Pay</button><button class="btn">Other</button>');
    expect(describeElement(document.querySelector('button')!).selector).toBe('#checkout');
  });

  it.each([
    ['<button id=":r1:" class="css-1x2y3z">Go</button>', /r1|css-/],
    ['<button id="ember123" class="sc-abc123 is-active">Go</button>', /ember|sc-|is-active/],
    ['<button class="Button_primary__a8Fk2 p-4 hover:bg-blue-500">Go</button>', /Button_primary|p-4|hover/],
  ])('keeps unstable ids and classes out of every selector: %s', (html, unstable) => {
    render(`<main>${html}<button class="other">Stay</button></main>`);
    const trigger = describeElement(document.querySelector('button')!);
    for (const { selector } of [trigger, ...trigger.alternatives]) expect(selector).not.toMatch(unstable);
    expect(all(document, trigger.selector)).toEqual([document.querySelector('button')]);
  });

  it('gives each identical "Add to cart" button of a product list its own unique selector', () => {
    render(shopHtml());
    const buttons = all(document, 'button.add-to-cart');
    const selectors = buttons.map((button) => {
      const trigger = describeElement(button);
      expect(all(document, trigger.selector)).toEqual([button]);
      expect(trigger.matchCount).toBe(1);
      expect(trigger.alternatives.length).toBeGreaterThanOrEqual(3);
      expect(trigger.alternatives.length).toBeLessThanOrEqual(5);
      return trigger.selector;
    });
    expect(new Set(selectors).size).toBe(3);
    // Anchored on the product link, not on the position in the list.
    expect(selectors[1]).toContain(':has(a[href="/p/blue-hat"])');
  });

  it('produces plain JSON that satisfies elementTriggerSchema', () => {
    render(shopHtml());
    for (const el of all(document, 'a, button, input')) {
      const trigger = describeElement(el);
      expect(elementTriggerSchema.parse(JSON.parse(JSON.stringify(trigger)))).toEqual(trigger);
    }
  });

  it('scopes a link that appears twice by the ancestor that tells the copies apart', () => {
    render(
      '<nav id="top"><a href="/about">About</a></nav><footer id="bottom"><p><a href="/about">About</a></p></footer>',
    );
    const link = document.querySelectorAll('a')[1]!;
    const trigger = describeElement(link);
    expect(trigger.selector).toBe('#bottom a[href="/about"]');
    expect(trigger.quality).toBe('good');
  });

  it('generalises to the elements that look alike in similar mode and reports matchCount', () => {
    render(shopHtml());
    const button = document.querySelector('.add-to-cart')!;
    const trigger = describeElement(button, { mode: 'similar' });
    expect(trigger.mode).toBe('similar');
    expect(all(document, trigger.selector)).toEqual(all(document, 'button.add-to-cart'));
    expect(trigger.matchCount).toBe(3);
    for (const alternative of trigger.alternatives) expect(all(document, alternative.selector)).toContain(button);
  });

  it('falls back to the element itself in similar mode when nothing looks like it', () => {
    render('<button class="solo">Only</button><a href="/x">x</a>');
    const trigger = describeElement(document.querySelector('button')!, { mode: 'similar' });
    expect(trigger.mode).toBe('similar');
    expect(trigger.matchCount).toBe(1);
  });

  it('describes an element inside an open shadow root relative to that root', () => {
    render('<product-card></product-card><product-card id="second"></product-card>');
    const host = document.getElementById('second')!;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div class="card"><button class="buy">Buy</button></div>';
    const button = shadow.querySelector('button')!;
    const trigger = describeElement(button);
    expect(trigger.path).toEqual([{ kind: 'shadow', host: '#second' }]);
    expect(all(shadow, trigger.selector)).toEqual([button]);
  });

  it('records nested shadow hosts outermost first', () => {
    render('<app-shell></app-shell>');
    const outer = document.querySelector('app-shell')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<nav-bar></nav-bar>';
    const inner = outer.querySelector('nav-bar')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<a href="/cart">Cart</a>';
    const trigger = describeElement(inner.querySelector('a')!);
    expect(trigger.path).toEqual([
      { kind: 'shadow', host: 'app-shell' },
      { kind: 'shadow', host: 'nav-bar' },
    ]);
  });

  it('uses a :host-anchored structural path when a shadow tree offers nothing better', () => {
    render('<x-list></x-list>');
    const shadow = document.querySelector('x-list')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div><span>a</span></div><div><span>a</span></div>';
    const span = shadow.querySelectorAll('span')[1]!;
    const trigger = describeElement(span);
    expect(all(shadow, trigger.selector)).toEqual([span]);
  });

  it('describes an element inside a same-origin iframe', () => {
    render(
      '<p>before</p><iframe class="checkout-frame" srcdoc="<button>Pay</button><button>Cancel</button>"></iframe>',
    );
    const frame = document.querySelector('iframe')!;
    const button = frame.contentDocument!.querySelectorAll('button')[1]!;
    const trigger = describeElement(button);
    expect(trigger.path).toEqual([{ kind: 'iframe', host: 'iframe.checkout-frame' }]);
    expect(all(frame.contentDocument!, trigger.selector)).toEqual([button]);
  });

  it('falls back to a full structural path that is unique', () => {
    render('<div><div><span></span><span></span></div><div><span></span><span></span></div></div>');
    const span = all(document, 'span')[3]!;
    const trigger = describeElement(span);
    expect(all(document, trigger.selector)).toEqual([span]);
    expect(trigger.quality).not.toBe('good');
  });

  it.each([
    ['a detached element', () => document.createElement('button')],
    [
      'an element in a document fragment',
      () => document.createDocumentFragment().appendChild(document.createElement('a')),
    ],
    ['an SVG path', () => render('<svg><g><path d="M0"/></g></svg>').querySelector('path')!],
    ['the root element', () => document.documentElement],
    [
      'an element with 300 classes',
      () => render(`<b class="${Array.from({ length: 300 }, (_, i) => `c${i}x`).join(' ')}">b</b>`).querySelector('b')!,
    ],
    [
      'quotes and newlines in attributes',
      () => render(`<a title='say "hi"\nnow' href='/q?"x"'>q</a>`).querySelector('a')!,
    ],
    [
      'an element 400 levels deep',
      () => {
        render(`${'<div>'.repeat(400)}<i>deep</i>${'</div>'.repeat(400)}`);
        return document.querySelector('i')!;
      },
    ],
  ])('never throws for %s and returns a schema-valid trigger', (_name, make) => {
    const el = make();
    let trigger: ReturnType<typeof describeElement> | undefined;
    expect(() => (trigger = describeElement(el))).not.toThrow();
    expect(() => elementTriggerSchema.parse(trigger)).not.toThrow();
  });

  const largePage = () => {
    const rows = Array.from(
      { length: 1500 },
      (_, i) =>
        `<div class="row r${i % 7} kind-${i % 3}"><span class="cell a b c d e f">x</span><button class="btn x y z">Go</button></div>`,
    );
    render(rows.join(''));
    return all(document, 'button')[1234]!;
  };

  it('keeps to its work budget on a large page, counted in work units rather than milliseconds', () => {
    const target = largePage();
    // A query costs one unit per element of the page, plus one.
    const oneQuery = 1 + all(document, '*').length;
    const unbounded = createBudget(Number.POSITIVE_INFINITY);
    describeElement(target, { budget: unbounded });
    // A budget the full search on this page would overrun, so the bound has to bite.
    const limit = Math.floor(unbounded.spent / 3);
    expect(limit).toBeGreaterThan(10 * oneQuery);
    const budget = createBudget(limit);
    const trigger = describeElement(target, { budget });
    expect(all(document, trigger.selector)).toEqual([target]);
    // The budget is checked before each query; the structural path, always tested, may go one
    // query over.
    expect(budget.spent).toBeGreaterThanOrEqual(limit);
    expect(budget.spent).toBeLessThanOrEqual(limit + 2 * oneQuery);
    // The same work gives the same selectors, however fast or busy the machine is.
    expect(describeElement(target, { budget: createBudget(limit) })).toEqual(trigger);
    expect(describeElement(target)).toEqual(describeElement(target, { budget: createBudget(WORK_BUDGET) }));
  });

  it('stops searching once the work budget is spent and falls back to the structural path', () => {
    const target = largePage();
    const budget = createBudget(0);
    const trigger = describeElement(target, { budget });
    expect(all(document, trigger.selector)).toEqual([target]);
    expect(trigger.quality).toBe('fragile');
    expect(trigger.alternatives).toEqual([]);
    // Only the structural path was tested.
    expect(budget.spent).toBe(1 + all(document, '*').length);
  });
});

describe('fingerprintOf', () => {
  it('records tag, stable id and classes, allowlisted attributes, text, href, role, name and ancestors', () => {
    render(`<nav><ul><li><a id="cart-link" class="nav-link css-9x8y7z is-active" data-track="cart" href="/cart?x=1"
      onclick="go()" title="Your  cart">  Cart
      <span hidden>secret</span><script>var x</script></a></li></ul></nav>`);
    const fingerprint = fingerprintOf(document.querySelector('a')!);
    expect(fingerprint).toEqual({
      tag: 'a',
      id: 'cart-link',
      classes: ['nav-link'],
      attributes: { 'data-track': 'cart', href: '/cart?x=1', title: 'Your cart' },
      text: 'Cart',
      href: '/cart?x=1',
      role: 'link',
      name: 'Cart',
      ancestors: ['li', 'ul', 'nav', 'body', 'html'],
    });
  });

  it('uses aria-label as the name and never reads typed input values', () => {
    render('<input type="search" aria-label="Search products" name="q" value="my secret query">');
    const fingerprint = fingerprintOf(document.querySelector('input')!);
    expect(fingerprint.name).toBe('Search products');
    expect(fingerprint.text).toBeUndefined();
    expect(JSON.stringify(fingerprint)).not.toContain('secret');
  });

  it('cuts the text to 200 characters', () => {
    render(`<p>${'word '.repeat(100)}</p>`);
    expect(fingerprintOf(document.querySelector('p')!).text?.length).toBeLessThanOrEqual(200);
  });
});
