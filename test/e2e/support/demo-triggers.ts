/** The demo shop's product list, where every product has an "Add to cart" button. */
export const DEMO_PRODUCTS = '/demo/products.html';

/**
 * A click trigger on one product's "Add to cart" button of the demo shop, found by its
 * `data-product-id` (the trigger the picker makes for it, written out so a test needs no pick).
 */
export function addToCartTrigger(productId: string) {
  return {
    kind: 'click',
    url: { match: 'path', value: DEMO_PRODUCTS },
    element: {
      mode: 'unique',
      selector: `[data-product-id="${productId}"]`,
      quality: 'good',
      reasons: ['test attribute'],
      matchCount: 1,
      alternatives: [],
      fingerprint: { tag: 'button', attributes: { 'data-product-id': productId }, text: 'Add to cart' },
    },
  } as const;
}
