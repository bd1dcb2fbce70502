// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attributeKind, attributeSelector, isUsablePart } from '../../../lib/selector';

describe('attributeKind', () => {
  it.each([
    ['data-testid', 'add-to-cart', 'test'],
    ['data-cy', 'f7a9c2d4e1b3', 'test'],
    ['data-track', 'cta', 'test'],
    ['name', 'email', 'identifying'],
    ['href', '/p/blue-hat', 'identifying'],
    ['type', 'submit', 'identifying'],
    ['aria-label', 'Close', 'text'],
    ['placeholder', 'Your email', 'text'],
    ['data-sku', 'shoe', 'data'],
    ['data-product-id', '42', 'data'],
    ['href', 'javascript:void(0)', undefined],
    ['href', '#', undefined],
    ['href', '/cart?session=3fa85f64-5717-4562-b3fc-2c963f66afa6', undefined],
    ['name', 'field_8a7Fk2x9', undefined],
    ['data-reactid', '.0.1', undefined],
    ['data-v-7ba5bd90', '', undefined],
    ['data-state', 'open', undefined],
    ['data-timestamp', '1700000000', undefined],
    ['style', 'color: red', undefined],
    ['onclick', 'go()', undefined],
    ['data-testid', '', undefined],
  ])('classifies %s="%s" as %s', (name, value, kind) => {
    expect(attributeKind(name, value)).toBe(kind);
  });
});

describe('isUsablePart', () => {
  it.each([
    ['#checkout', true],
    ['#\\:r1\\:', false],
    ['.btn', true],
    ['.css-1x2y3z', false],
    ['.hover\\:bg-blue-500', false],
    ["[data-testid='buy']", true],
    ["[name='email']", true],
    ["[style='color\\:\\ red']", false],
    ['[href]', false],
    ['[]', false],
    ['button', true],
    ['li:nth-of-type(2)', true],
  ])('judges the css-selector-generator part %s usable: %s', (part, usable) => {
    expect(isUsablePart(part)).toBe(usable);
  });
});

describe('attributeSelector', () => {
  it.each([
    ['/p/blue-hat', '[href="/p/blue-hat"]'],
    ['contact.html', '[href="contact.html"]'],
    ['say "hi"', '[href="say \\22 hi\\22 "]'],
    ['back\\slash', '[href="back\\5c slash"]'],
    ['line\nbreak', '[href="line\\a break"]'],
  ])('writes the value %j as the page has it, escaping only what a CSS string must', (value, expected) => {
    expect(attributeSelector('href', value)).toBe(expected);
  });

  it.each(['/p/blue-hat', 'say "hi"', 'back\\slash', 'line\nbreak', 'tab\there', 'ünïcödé 🎩', ''])(
    'finds the element whose attribute is %j',
    (value) => {
      document.body.innerHTML = '<a>decoy</a><a>target</a>';
      const [decoy, target] = [...document.querySelectorAll('a')];
      decoy!.setAttribute('data-x', `${value}-other`);
      target!.setAttribute('data-x', value);
      expect([...document.querySelectorAll(attributeSelector('data-x', value))]).toEqual([target]);
    },
  );
});
