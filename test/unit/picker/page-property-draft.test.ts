// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { readPageProperties } from '../../../lib/matcher';
import { propertyNameFor, relativeSource } from '../../../lib/picker/page-property-draft';

beforeEach(() => {
  document.body.innerHTML = `
    <h1>Shop</h1>
    <ul class="products">
      ${['Speckled mug', 'Rain-glaze bowl', 'Ramen bowl']
        .map(
          (
            name,
          ) => `<li class="product-card"><div><h3>${name}</h3><p class="price">$2${name.length}</p><p>In stock</p><p>Ships today</p></div>
          <button class="add-to-cart"><span>Add to cart</span></button></li>`,
        )
        .join('')}
    </ul>`;
});

const cards = () => Array.from(document.querySelectorAll('li.product-card'));
const button = (index: number) => cards()[index]!.querySelector('button')!;

describe('relativeSource', () => {
  it('stores the card title relative to the button, so each card reports its own', () => {
    const found = relativeSource(button(1), cards()[1]!.querySelector('h3')!);
    expect(found).toEqual({
      source: { kind: 'relative', container: 'li.product-card', selector: 'h3' },
      description: 'h3 “Rain-glaze bowl” in li.product-card',
    });
    if (!('source' in found)) throw new Error('expected a source');
    const values = [0, 1, 2].map((index) =>
      readPageProperties([{ name: 'p', source: found.source }], button(index), location.href),
    );
    expect(values.map((reading) => reading[0])).toEqual([
      { name: 'p', value: 'Speckled mug' },
      { name: 'p', value: 'Rain-glaze bowl' },
      { name: 'p', value: 'Ramen bowl' },
    ]);
  });

  it('uses a class, or the position inside the card when nothing else is unique', () => {
    const price = relativeSource(button(0), cards()[0]!.querySelector('.price')!);
    expect(price).toMatchObject({ source: { selector: 'p.price' } });
    const ships = relativeSource(button(0), cards()[0]!.querySelectorAll('p')[2]!);
    expect(ships).toMatchObject({ source: { selector: ':scope > div > p:nth-of-type(3)' } });
    if (!('source' in ships)) throw new Error('expected a source');
    expect(readPageProperties([{ name: 'p', source: ships.source }], button(2), location.href)[0]).toEqual({
      name: 'p',
      value: 'Ships today',
    });
  });

  it('looks up an element outside any shared card from the page body', () => {
    expect(relativeSource(button(0), document.querySelector('h1')!)).toMatchObject({
      source: { container: 'body' },
    });
  });

  it('refuses the clicked element itself and elements inside it, saying what to do', () => {
    expect(relativeSource(button(0), button(0))).toMatchObject({ problem: /Its text/ });
    expect(relativeSource(button(0), button(0).querySelector('span')!)).toMatchObject({ problem: /not inside it/ });
  });
});

describe('propertyNameFor', () => {
  it.each([
    ['Product name', [], 'product_name'],
    ['Product name', ['product_name'], 'product_name_2'],
    ['data-sku', [], 'data_sku'],
    ['🙂', [], 'property'],
  ])('%s (taken %j) → %s', (label, taken, expected) => {
    expect(propertyNameFor(label, taken)).toBe(expected);
  });
});
