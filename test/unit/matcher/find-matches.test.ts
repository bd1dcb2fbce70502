// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElementTrigger } from '../../../lib/shared/trigger';
import { couldMatch, findMatches } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import { render, shopHtml, useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

const all = (root: ParentNode, selector: string) => Array.from(root.querySelectorAll(selector));

/** Finds an element of the current page by its tag and visible text. */
function byText(tag: string, text: string, within: ParentNode = document): Element {
  const found = all(within, tag).filter((el) => el.textContent?.trim() === text);
  if (found.length !== 1) throw new Error(`expected one <${tag}> "${text}", found ${found.length}`);
  return found[0]!;
}

/** The "Add to cart" button in the card of the given product. */
function addToCart(product: string): Element {
  return byText('a', product).closest('li')!.querySelector('button')!;
}

const redeploys = [
  ['hashed classes renamed', { hash: 'q9w8e7' }],
  ['a wrapper div inserted', { wrapper: true }],
  ['siblings inserted', { siblings: true }],
  ['all three at once', { hash: 'q9w8e7', wrapper: true, siblings: true }],
] as const;

const targets: [string, () => Element][] = [
  ['the Checkout button', () => byText('button', 'Checkout')],
  ['the Subscribe button', () => byText('button', 'Subscribe')],
  ['the Help button', () => byText('button', 'Help')],
  ['the email field', () => document.querySelector('input[name="email"]')!],
  ['a product link', () => byText('a', 'Blue hat')],
  ['the Sale nav link', () => byText('a', 'Sale')],
  ['the "Add to cart" button of the second product', () => addToCart('Blue hat')],
  ['the "Add to cart" button of the last product', () => addToCart('Green scarf')],
];

describe('findMatches', () => {
  it('returns exactly the picked button for each identical "Add to cart" button of a product list', () => {
    render(shopHtml());
    for (const button of all(document, 'button.add-to-cart')) {
      expect(findMatches(describeElement(button), document)).toEqual([button]);
    }
  });

  describe.each(redeploys)('after a redeploy with %s', (_change, options) => {
    it.each(targets)('still finds %s', (_name, pick) => {
      render(shopHtml());
      const before = pick();
      const trigger = JSON.parse(JSON.stringify(describeElement(before))) as ElementTrigger;
      render(shopHtml(options));
      expect(findMatches(trigger, document)).toEqual([pick()]);
    });
  });

  it('returns [] rather than another button when the target was removed', () => {
    render(shopHtml());
    const trigger = describeElement(byText('button', 'Checkout'));
    render(shopHtml({ withoutCheckout: true, hash: 'zz11yy' }));
    expect(all(document, 'button').map((b) => b.textContent?.trim())).toContain('Help');
    expect(findMatches(trigger, document)).toEqual([]);
  });

  it('returns [] when a unique selector now hits an element whose text contradicts', () => {
    render('<button class="primary">Delete account</button>');
    const trigger = describeElement(document.querySelector('button')!);
    render('<button class="primary">Save</button>');
    expect(findMatches(trigger, document)).toEqual([]);
  });

  it('returns [] rather than a wrong element when the evidence is ambiguous', () => {
    render('<div><button>Buy</button></div>');
    const trigger = describeElement(document.querySelector('button')!);
    render('<section><button>Buy</button></section><section><button>Buy</button></section>');
    expect(findMatches(trigger, document)).toEqual([]);
  });

  it('skips invalid selectors instead of throwing', () => {
    render(shopHtml());
    const checkout = byText('button', 'Checkout');
    const trigger: ElementTrigger = {
      ...describeElement(checkout),
      selector: 'button[[[',
      alternatives: [{ selector: ':nth-child(', quality: 'good', reasons: [] }],
    };
    expect(() => findMatches(trigger, document)).not.toThrow();
    expect(findMatches(trigger, document)).toEqual([checkout]);
    expect(findMatches({ ...trigger, mode: 'similar' }, document)).toEqual([]);
  });

  it('returns all elements the selector matches, of the recorded tag, in similar mode', () => {
    render(`${shopHtml()}<div class="add-to-cart">not a button</div>`);
    const trigger = describeElement(document.querySelector('.add-to-cart')!, { mode: 'similar' });
    const looser = { ...trigger, selector: '.add-to-cart' };
    expect(findMatches(looser, document)).toEqual(all(document, 'button.add-to-cart'));
    expect(findMatches(trigger, document)).toHaveLength(3);
  });

  it('finds the same "Add to cart" buttons in similar mode after a redeploy', () => {
    render(shopHtml());
    const trigger = describeElement(document.querySelector('.add-to-cart')!, { mode: 'similar' });
    render(shopHtml({ hash: 'q9w8e7', wrapper: true, siblings: true }));
    expect(findMatches(trigger, document)).toEqual(all(document, 'button.add-to-cart'));
  });

  it('enters open shadow roots along the path', () => {
    render('<product-card id="a"></product-card><product-card id="b"></product-card>');
    const buttons = ['a', 'b'].map((id) => {
      const shadow = document.getElementById(id)!.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<button class="buy">Buy</button>';
      return shadow.querySelector('button')!;
    });
    expect(findMatches(describeElement(buttons[1]!), document)).toEqual([buttons[1]]);
  });

  it('enters same-origin iframes along the path', () => {
    render('<iframe id="pay" srcdoc="<form><button>Pay now</button><button>Cancel</button></form>"></iframe>');
    const frame = document.querySelector('iframe')!;
    const cancel = byText('button', 'Cancel', frame.contentDocument!);
    expect(findMatches(describeElement(cancel), document)).toEqual([cancel]);
  });

  it('returns [] when a step of the path is missing', () => {
    render('<product-card></product-card>');
    const shadow = document.querySelector('product-card')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<button>Buy</button>';
    const trigger = describeElement(shadow.querySelector('button')!);
    render('<button>Buy</button>');
    expect(findMatches(trigger, document)).toEqual([]);
    expect(findMatches({ ...trigger, path: [{ kind: 'iframe', host: 'product-card' }] }, document)).toEqual([]);
  });

  it('survives a fingerprint with missing optional lists (stored before schema defaults)', () => {
    render('<button id="go">Go</button>');
    const trigger = describeElement(document.querySelector('button')!);
    const legacy = { ...trigger, fingerprint: { tag: 'button', text: 'Go' } } as unknown as ElementTrigger;
    expect(findMatches(legacy, document)).toEqual([document.querySelector('button')]);
  });
});

describe('couldMatch (the tracker skips findMatches for clicks it says no to)', () => {
  it('says no to a click path without an element of the tracked kind, yes to one with it', () => {
    render(shopHtml());
    const button = addToCart('Blue hat');
    const trigger = describeElement(button);
    const card = button.closest('li')!;
    const title = byText('a', 'Blue hat');
    expect(couldMatch(trigger, [title, card, document.body, document, window])).toBe(false);
    expect(couldMatch(trigger, [button, card, document.body, document, window])).toBe(true);
    // Another product's button is of the kind too: findMatches decides which one it is.
    expect(couldMatch(trigger, [addToCart('Red shoe')])).toBe(true);
    expect(couldMatch(trigger, [])).toBe(false);
  });

  it('takes any heading for a heading, as findMatches does', () => {
    document.body.innerHTML = '<section><h2>Trending topics</h2></section>';
    const trigger = describeElement(document.querySelector('h2')!);
    document.body.innerHTML = '<section><h3>Trending topics</h3></section>';
    const h3 = document.querySelector('h3')!;
    expect(findMatches(trigger, document)).toEqual([h3]);
    expect(couldMatch(trigger, [h3])).toBe(true);
    expect(couldMatch(trigger, [document.querySelector('section')!])).toBe(false);
  });
});
