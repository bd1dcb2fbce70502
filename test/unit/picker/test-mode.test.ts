// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createTestMode,
  evaluateTestClick,
  evaluateTestPageView,
  testDefinitionsOf,
  type TestDefinition,
} from '../../../lib/picker/test-mode';
import type { EventDefinition } from '../../../lib/shared';

const PAGE = 'https://shop.example.com/products.html';

const button = (productId: string, selector = `[data-product-id="${productId}"]`): TestDefinition => ({
  name: `add_${productId}`,
  label: `Add ${productId}`,
  trigger: {
    kind: 'click',
    url: { match: 'path', value: '/products.html' },
    element: {
      mode: 'unique',
      selector,
      quality: 'good',
      reasons: [],
      matchCount: 1,
      alternatives: [],
      fingerprint: { tag: 'button', classes: [], attributes: { 'data-product-id': productId }, ancestors: [] },
      path: [],
    },
  },
});
const pricing: TestDefinition = {
  name: 'pricing_viewed',
  label: 'Pricing viewed',
  trigger: { kind: 'pageview', url: { match: 'path', value: '/pricing' }, properties: [] },
};

const pathOf = (el: Element): EventTarget[] => {
  const path: EventTarget[] = [];
  for (let node: Element | null = el; node; node = node.parentElement) path.push(node);
  return [...path, document, window];
};

beforeEach(() => {
  document.body.innerHTML = `
    <button data-product-id="mug"><span>Add to cart</span></button>
    <button data-product-id="bowl">Add to cart</button>
    <p id="text">Plain text</p>`;
});

describe('evaluateTestClick', () => {
  it('names the events a click would fire, and the signal that found the element', () => {
    const span = document.querySelector('[data-product-id="mug"] span')!;
    expect(evaluateTestClick([button('mug'), button('bowl')], document, PAGE, pathOf(span))).toEqual({
      fired: [{ name: 'add_mug', label: 'Add mug', signal: 'selector', properties: {} }],
      nearMisses: [],
    });
  });

  it('says which events of the clicked kind did not fire when nothing would', () => {
    const bowl = document.querySelector('[data-product-id="bowl"]')!;
    expect(evaluateTestClick([button('mug'), pricing], document, PAGE, pathOf(bowl))).toEqual({
      fired: [],
      nearMisses: ['Add mug'],
    });
  });

  it('reports nothing for a click on an element of no tracked kind', () => {
    const text = document.querySelector('#text')!;
    expect(evaluateTestClick([button('mug')], document, PAGE, pathOf(text))).toEqual({ fired: [], nearMisses: [] });
  });

  it('says when only the fingerprint found the element (its selector broke)', () => {
    const mug = document.querySelector('[data-product-id="mug"]')!;
    const broken = button('mug', '#renamed-mug');
    expect(evaluateTestClick([broken], document, PAGE, pathOf(mug)).fired[0]?.signal).toBe('fingerprint');
  });
});

describe('evaluateTestPageView', () => {
  it('lists the page-view events whose URL rule covers the page', () => {
    expect(evaluateTestPageView([pricing, button('mug')], 'https://shop.example.com/pricing?x=1')).toEqual([
      { name: 'pricing_viewed', label: 'Pricing viewed', properties: {} },
    ]);
    expect(evaluateTestPageView([pricing], PAGE)).toEqual([]);
  });
});

describe('testDefinitionsOf', () => {
  it('keeps the active definitions with a trigger, like the tracker config', () => {
    const base = { label: 'x', trigger: pricing.trigger } as unknown as EventDefinition;
    const list = [
      { ...base, name: 'active', status: 'ACTIVE' },
      { ...base, name: 'paused', status: 'PAUSED' },
      { ...base, name: 'archived', status: 'ARCHIVED' },
      { ...base, name: 'api_only', status: 'ACTIVE', trigger: null },
    ] as EventDefinition[];
    expect(testDefinitionsOf(list).map((d) => d.name)).toEqual(['active']);
  });
});

describe('createTestMode', () => {
  it('observes clicks without stopping them, and stops listening when stopped', async () => {
    const host = document.createElement('clicktrail-picker');
    document.body.append(host);
    const controller = new AbortController();
    const mode = createTestMode({
      window,
      host,
      signal: controller.signal,
      loadDefinitions: () => {
        const anywhere = button('mug');
        anywhere.trigger = { ...anywhere.trigger, url: { match: 'any' } };
        return Promise.resolve([{ ...anywhere, status: 'ACTIVE' } as unknown as EventDefinition]);
      },
    });
    await mode.start();
    let siteSaw = 0;
    const mug = document.querySelector<HTMLButtonElement>('[data-product-id="mug"]')!;
    mug.addEventListener('click', (event) => {
      siteSaw++;
      expect(event.defaultPrevented).toBe(false);
    });
    mug.click();
    expect(siteSaw).toBe(1);
    expect(mode.store.getState().entries[0]).toMatchObject({ kind: 'click', fired: [{ name: 'add_mug' }] });
    expect(mode.stop()).toBe(true);
    mug.click();
    expect(siteSaw).toBe(2);
    expect(mode.store.getState()).toMatchObject({ active: false, entries: [] });
    controller.abort();
  });

  it('shows why it cannot test when the definitions do not load', async () => {
    const mode = createTestMode({
      window,
      host: document.body,
      signal: new AbortController().signal,
      loadDefinitions: () => Promise.reject(new Error('Connect Clicktrail to your server first')),
    });
    await mode.start();
    expect(mode.store.getState()).toMatchObject({ active: true, error: 'Connect Clicktrail to your server first' });
  });
});
