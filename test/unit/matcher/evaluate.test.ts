// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  checkTriggerHealth,
  evaluateClick,
  evaluatePageView,
  findMatches,
  MatchCache,
  matchesConditions,
  matchSignal,
  pagePropertyValues,
  previewClickTrigger,
  readPageProperties,
} from '../../../lib/matcher';
import type { ClickTrigger, ElementTrigger, PageProperty } from '../../../lib/shared';

const PAGE = 'https://shop.example.com/products.html?utm_source=mail&ref=a';
const PRODUCTS = ['Speckled mug', 'Rain-glaze bowl', 'Tall bud vase', 'Ramen bowl'];

beforeEach(() => {
  document.body.innerHTML = `
    <ul class="products">
      ${PRODUCTS.map(
        (name, index) => `
        <li class="product-card" id="p${index}">
          <h3>${name}</h3>
          <a class="details" href="/p/${index}?x=1">Details of ${name}</a>
          <button class="add-to-cart" type="button" data-sku="sku-${index}"><span>Add to cart</span></button>
        </li>`,
      ).join('')}
    </ul>`;
});

const buttons = () => Array.from(document.querySelectorAll('button.add-to-cart'));
/** A similar-mode element trigger written out, so these tests check evaluation alone, not what describeElement picks. */
const similar = (selector: string, tag: string): ElementTrigger => ({
  mode: 'similar',
  selector,
  quality: 'good',
  reasons: [],
  alternatives: [],
  fingerprint: { tag, classes: [], attributes: {}, ancestors: [] },
  path: [],
});
const similarTrigger = (extra: Partial<ClickTrigger> = {}): ClickTrigger => ({
  kind: 'click',
  element: similar('li.product-card button.add-to-cart', 'button'),
  url: { match: 'path', value: '/products.html' },
  ...extra,
});
const pathOf = (el: Element): EventTarget[] => {
  const path: EventTarget[] = [];
  for (let node: Element | null = el; node; node = node.parentElement) path.push(node);
  return [...path, document, window];
};
const click = (trigger: ClickTrigger, el: Element, href = PAGE) =>
  evaluateClick(trigger, { root: document, href, path: pathOf(el) });

const cardTitle: PageProperty = {
  name: 'product_name',
  source: { kind: 'relative', container: 'li.product-card', selector: 'h3' },
  type: 'string',
};

describe('evaluateClick', () => {
  it('fires for a click inside any of a similar trigger’s matches, with that card’s property', () => {
    const trigger = similarTrigger({ properties: [cardTitle] });
    const span = buttons()[3]!.querySelector('span')!;
    expect(click(trigger, span)).toEqual({ element: buttons()[3], properties: { product_name: 'Ramen bowl' } });
    expect(click(trigger, buttons()[0]!)?.properties).toEqual({ product_name: 'Speckled mug' });
  });

  it('does not fire outside the URL rule, or for a click on another element', () => {
    const trigger = similarTrigger();
    expect(click(trigger, buttons()[0]!, 'https://shop.example.com/cart.html')).toBeNull();
    expect(click(trigger, document.querySelector('h3')!)).toBeNull();
  });

  it('applies text and href conditions', () => {
    buttons()[2]!.textContent = 'Sold out';
    const text = similarTrigger({
      conditions: { text: { operator: 'exact', value: 'add to cart', caseInsensitive: true } },
    });
    expect(click(text, buttons()[0]!)).not.toBeNull();
    expect(click(text, buttons()[2]!)).toBeNull();
    const caseSensitive = similarTrigger({
      conditions: { text: { operator: 'exact', value: 'add to cart', caseInsensitive: false } },
    });
    expect(click(caseSensitive, buttons()[0]!)).toBeNull();

    const links = Array.from(document.querySelectorAll('a.details'));
    const link: ClickTrigger = {
      kind: 'click',
      element: similar('a.details', 'a'),
      url: { match: 'any' },
      conditions: { href: { operator: 'regex', value: '/p/[02]\\?', caseInsensitive: false } },
    };
    expect(links.map((a) => click(link, a) !== null)).toEqual([true, false, true, false]);
  });

  it('throws nothing and fires nothing for a trigger whose selectors and regexes are broken', () => {
    const broken: ClickTrigger = {
      ...similarTrigger(),
      element: { ...similarTrigger().element, selector: 'button[[', alternatives: [] },
      conditions: { text: { operator: 'regex', value: '(', caseInsensitive: false } },
    };
    expect(click(broken, buttons()[0]!)).toBeNull();
  });

  it('answers from the matches already known (no search), exactly as from a search', () => {
    const trigger = similarTrigger({ properties: [cardTitle] });
    const find = vi.fn((element: ElementTrigger) => findMatches(element, document));
    const cache = new MatchCache(document, find);
    const context = (el: Element) => ({
      root: document,
      href: PAGE,
      path: pathOf(el),
      find: cache.get,
      known: cache.known,
    });
    const searched = evaluateClick(trigger, context(buttons()[1]!));
    expect(find).toHaveBeenCalledTimes(1);
    for (const el of [buttons()[1]!, buttons()[2]!, document.querySelector('h3')!]) {
      expect(evaluateClick(trigger, context(el))).toEqual(click(trigger, el));
    }
    expect(searched).toEqual(click(trigger, buttons()[1]!));
    expect(find).toHaveBeenCalledTimes(1); // every later click answered from what the cache knew
  });

  it('uses the finder it is given (the tracker’s cache)', () => {
    const find = vi.fn((element: ElementTrigger) => findMatches(element, document));
    const trigger = similarTrigger();
    evaluateClick(trigger, { root: document, href: PAGE, path: pathOf(buttons()[0]!), find });
    expect(find).toHaveBeenCalledWith(trigger.element);
  });
});

describe('matchesConditions', () => {
  it.each([
    ['contains', 'cart', false, true],
    ['contains', 'CART', false, false],
    ['contains', 'CART', true, true],
    ['regex', '^Add .+ cart$', false, true],
    ['regex', '^add', true, true],
    ['exact', 'Add to', false, false],
  ] as const)('text %s "%s" (case-insensitive %s) → %s', (operator, value, caseInsensitive, expected) => {
    expect(matchesConditions(buttons()[0]!, { text: { operator, value, caseInsensitive } })).toBe(expected);
  });

  it('tests href conditions against the attribute and the absolute URL', () => {
    const link = document.querySelector('a.details')!;
    expect(matchesConditions(link, { href: { operator: 'exact', value: '/p/0?x=1', caseInsensitive: false } })).toBe(
      true,
    );
    expect(
      matchesConditions(link, {
        href: { operator: 'contains', value: `${location.origin}/p/0`, caseInsensitive: false },
      }),
    ).toBe(true);
    expect(
      matchesConditions(buttons()[0]!, { href: { operator: 'contains', value: '/', caseInsensitive: false } }),
    ).toBe(false);
  });
});

describe('readPageProperties', () => {
  it('reads own text, an attribute, a relative element and a query parameter', () => {
    const properties: PageProperty[] = [
      { name: 'label', source: { kind: 'text' }, type: 'string' },
      { name: 'sku', source: { kind: 'attribute', attribute: 'data-sku' }, type: 'string' },
      cardTitle,
      { name: 'source', source: { kind: 'query', parameter: 'utm_source' }, type: 'string' },
    ];
    expect(readPageProperties(properties, buttons()[2]!, PAGE)).toEqual([
      { name: 'label', value: 'Add to cart' },
      { name: 'sku', value: 'sku-2' },
      { name: 'product_name', value: 'Tall bud vase' },
      { name: 'source', value: 'mail' },
    ]);
  });

  it('says why a property has no value instead of throwing', () => {
    const readings = readPageProperties(
      [
        { name: 'a', source: { kind: 'relative', container: 'li.product-card', selector: 'h4' }, type: 'string' },
        { name: 'b', source: { kind: 'relative', container: 'section', selector: 'h3' }, type: 'string' },
        { name: 'c', source: { kind: 'relative', container: 'li[[', selector: 'h3' }, type: 'string' },
        { name: 'd', source: { kind: 'query', parameter: 'campaign' }, type: 'string' },
        { name: 'e', source: { kind: 'attribute', attribute: 'title' }, type: 'string' },
      ],
      buttons()[0]!,
      PAGE,
    );
    expect(readings).toEqual([
      { name: 'a', missing: 'nothing matches h4 in li.product-card' },
      { name: 'b', missing: 'no section around the clicked element' },
      { name: 'c', missing: 'the selector is not valid CSS' },
      { name: 'd', missing: 'the URL has no ?campaign=' },
      { name: 'e', missing: 'the clicked element has no title' },
    ]);
  });

  it('gives the tracker exactly the values of the readings (pagePropertyValues), numbers included', () => {
    document.querySelector('h3')!.insertAdjacentHTML('afterend', '<span class="price">€ 1.299,50</span>');
    const properties: PageProperty[] = [
      { name: 'label', source: { kind: 'text' }, type: 'string' },
      { name: 'sku', source: { kind: 'attribute', attribute: 'data-sku' }, type: 'string' },
      { name: 'title', source: { kind: 'attribute', attribute: 'title' }, type: 'string' },
      cardTitle,
      { name: 'price', source: { kind: 'relative', container: 'li', selector: '.price' }, type: 'number' },
      { name: 'count', source: { kind: 'relative', container: 'li', selector: 'h3' }, type: 'number' },
      { name: 'bad', source: { kind: 'relative', container: 'li[[', selector: 'h3' }, type: 'string' },
      { name: 'source', source: { kind: 'query', parameter: 'utm_source' }, type: 'string' },
      { name: 'campaign', source: { kind: 'query', parameter: 'campaign' }, type: 'string' },
    ];
    for (const clicked of [buttons()[0]!, buttons()[2]!, null]) {
      const readings = readPageProperties(properties, clicked, PAGE);
      const values = Object.fromEntries(
        readings.flatMap((reading) => ('value' in reading ? [[reading.name, reading.value]] : [])),
      );
      expect(pagePropertyValues(properties, clicked, PAGE)).toEqual(values);
    }
    expect(pagePropertyValues(properties, buttons()[0]!, PAGE)).toEqual({
      label: 'Add to cart',
      sku: 'sku-0',
      product_name: 'Speckled mug',
      price: '1299.50',
      source: 'mail',
    });
    expect(readPageProperties(properties, buttons()[0]!, PAGE)[5]).toEqual({
      name: 'count',
      missing: '“Speckled mug” has no number',
    });
  });
});

describe('evaluatePageView', () => {
  it('fires under the URL rule with query properties only', () => {
    const trigger = {
      kind: 'pageview' as const,
      url: { match: 'site' as const, value: 'shop.example.com' },
      properties: [{ name: 'ref', source: { kind: 'query' as const, parameter: 'ref' }, type: 'string' as const }],
    };
    expect(evaluatePageView(trigger, PAGE)).toEqual({ element: null, properties: { ref: 'a' } });
    expect(evaluatePageView(trigger, 'https://elsewhere.example.com/')).toBeNull();
  });
});

describe('previewClickTrigger', () => {
  it('counts the matches and those passing the conditions, and reads the properties', () => {
    buttons()[1]!.textContent = 'Sold out';
    const trigger = similarTrigger({
      conditions: { text: { operator: 'contains', value: 'Add', caseInsensitive: false } },
      properties: [cardTitle],
    });
    const preview = previewClickTrigger(trigger, document, PAGE, buttons()[0]!);
    expect(preview.urlMatches).toBe(true);
    expect(preview.found).toHaveLength(4);
    expect(preview.passing).toHaveLength(3);
    expect(preview.properties).toEqual([{ name: 'product_name', value: 'Speckled mug' }]);
  });
});

describe('MatchCache', () => {
  it('finds once until the DOM changes', async () => {
    const find = vi.fn((element: ElementTrigger) => findMatches(element, document));
    const cache = new MatchCache(document, find);
    const { element } = similarTrigger();
    expect(cache.get(element)).toHaveLength(4);
    expect(cache.get(element)).toHaveLength(4);
    expect(find).toHaveBeenCalledTimes(1);

    const extra = buttons()[0]!.closest('li')!.cloneNode(true);
    document.querySelector('ul')!.append(extra);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.get(element)).toHaveLength(5);
    expect(find).toHaveBeenCalledTimes(2);
  });

  it('tells what it already found without searching (known), until the DOM changes', async () => {
    const find = vi.fn((element: ElementTrigger) => findMatches(element, document));
    const cache = new MatchCache(document, find);
    const { element } = similarTrigger();
    expect(cache.known(element)).toBeUndefined();
    expect(find).not.toHaveBeenCalled();
    cache.get(element);
    expect(cache.known(element)).toEqual(buttons());
    document.body.append(document.createElement('p'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.known(element)).toBeUndefined();
  });

  it('never caches a trigger that reaches into a shadow root or an iframe', () => {
    const find = vi.fn(() => []);
    const cache = new MatchCache(document, find);
    const element = { ...similarTrigger().element, path: [{ kind: 'shadow' as const, host: 'x-widget' }] };
    cache.get(element);
    cache.get(element);
    expect(find).toHaveBeenCalledTimes(2);
    expect(cache.known(element)).toBeUndefined();
  });
});

describe('checkTriggerHealth', () => {
  /** A unique-mode trigger on the second card's link, with a broken primary selector when asked. */
  const linkTrigger = (selector: string, alternatives: string[] = []): ClickTrigger => ({
    kind: 'click',
    url: { match: 'path', value: '/products.html' },
    element: {
      mode: 'unique',
      selector,
      quality: 'good',
      reasons: [],
      matchCount: 1,
      alternatives: alternatives.map((alt) => ({ selector: alt, quality: 'good', reasons: [], matchCount: 1 })),
      fingerprint: {
        tag: 'a',
        classes: ['details'],
        attributes: {},
        ancestors: ['li', 'ul'],
        href: '/p/1?x=1',
        text: 'Details of Rain-glaze bowl',
      },
      path: [],
    },
  });

  it('is null on a page outside the URL rule', () => {
    expect(checkTriggerHealth(linkTrigger('a[href="/p/1?x=1"]'), document, 'https://shop.example.com/cart')).toBeNull();
  });

  it('names the signal that found the element: selector, alternative, or only the fingerprint', () => {
    expect(checkTriggerHealth(linkTrigger('a[href="/p/1?x=1"]'), document, PAGE)).toBe('selector');
    expect(checkTriggerHealth(linkTrigger('#gone', ['#p1 a.details']), document, PAGE)).toBe('alternative');
    expect(checkTriggerHealth(linkTrigger('#gone', ['#also-gone']), document, PAGE)).toBe('fingerprint');
  });

  it('is none when the element is gone from the page', () => {
    document.querySelector('#p1')!.remove();
    expect(checkTriggerHealth(linkTrigger('a[href="/p/1?x=1"]'), document, PAGE)).toBe('none');
  });

  it('reports a similar trigger by the selector that found its elements', () => {
    expect(checkTriggerHealth(similarTrigger(), document, PAGE)).toBe('selector');
    const broken = similarTrigger();
    broken.element = {
      ...broken.element,
      selector: '.renamed',
      alternatives: [{ selector: 'button.add-to-cart', quality: 'good', reasons: [] }],
    };
    expect(checkTriggerHealth(broken, document, PAGE)).toBe('alternative');
  });
});

describe('matchSignal', () => {
  it('says fingerprint for an element no stored selector finds, and never throws on a bad selector', () => {
    const trigger = similar('button[[', 'button');
    expect(matchSignal(trigger, buttons()[0]!, document)).toBe('fingerprint');
  });
});
