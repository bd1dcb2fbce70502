/**
 * Shared fixtures for the selector and matcher unit tests (not a test file itself).
 */

/**
 * happy-dom's `Attr` reports `nodeName` as '' and `nodeValue` as null, unlike browsers, so
 * css-selector-generator would build `[]` attribute parts there. Patch the two getters to
 * the DOM-spec behaviour so tests exercise the same library paths as Chromium and Firefox.
 */
export function useBrowserLikeAttr(): void {
  type NamedAttr = { name: string; value: string };
  if (document.createAttribute('x').nodeName === 'x') return;
  Object.defineProperty(Attr.prototype, 'nodeName', {
    configurable: true,
    get(this: NamedAttr) {
      return this.name;
    },
  });
  Object.defineProperty(Attr.prototype, 'nodeValue', {
    configurable: true,
    get(this: NamedAttr) {
      return this.value;
    },
  });
}

/** The benchmark's seeded PRNG, so fuzz failures reproduce from the seed. */
export { prng } from '../../../lib/redeploys/random';

/** Options for `shopHtml`: the knobs a redeploy turns. */
export interface ShopOptions {
  /** Suffix of the CSS-in-JS hash classes (changes on every build). */
  hash?: string;
  /** Wrap `<main>` in an extra `<div>` (layout refactor). */
  wrapper?: boolean;
  /** Insert a promo banner before the product list and a new first product. */
  siblings?: boolean;
  /** Leave the "Checkout" button out. */
  withoutCheckout?: boolean;
}

/**
 * A small shop page: header nav, a product list whose cards each have an identical
 * "Add to cart" button, a newsletter form and a checkout button. Product links carry the
 * product path, the only per-card identity (besides the title text).
 */
export function shopHtml({
  hash = 'a1b2c3',
  wrapper = false,
  siblings = false,
  withoutCheckout = false,
}: ShopOptions = {}): string {
  const products = ['Red shoe', 'Blue hat', 'Green scarf'];
  if (siblings) products.unshift('Yellow socks');
  const cards = products
    .map(
      (name) => `
      <li class="product css-${hash}">
        <a class="product-link sc-${hash}" href="/p/${name.toLowerCase().replace(' ', '-')}">${name}</a>
        <span class="price">€10</span>
        <button class="btn add-to-cart css-${hash}1" type="button">Add to cart</button>
      </li>`,
    )
    .join('');
  const main = `
    <main class="content css-m${hash}">
      ${siblings ? '<div class="promo">Spring sale!</div>' : ''}
      <ul class="products">${cards}</ul>
      <form class="newsletter"><input name="email" type="email" placeholder="Your email">
        <button type="submit" class="btn">Subscribe</button></form>
      ${withoutCheckout ? '' : `<button class="btn checkout css-c${hash}" type="button">Checkout</button>`}
      <button class="btn css-h${hash}" type="button">Help</button>
    </main>`;
  return `
    <header><nav><a href="/">Home</a><a href="/sale" class="nav-link is-active">Sale</a></nav></header>
    ${wrapper ? `<div class="layout">${main}</div>` : main}
    <footer><a href="/about">About</a></footer>`;
}

/** Sets the body of the global document and returns it. */
export function render(html: string): Document {
  document.body.innerHTML = html;
  return document;
}
