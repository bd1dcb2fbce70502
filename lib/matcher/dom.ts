/**
 * Node-type checks that work across realms: an element from a same-origin iframe is not an
 * `instanceof Element` of the top window, so `instanceof` would silently fail there.
 */

/** Whether `node` is an element (any realm). */
export function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

/** Whether `node` is a document (any realm, including an iframe's or a `DOMParser` one). */
export function isDocument(node: unknown): node is Document {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 9;
}

/** Whether `node` is a shadow root: the only document fragment that has a host. */
export function isShadowRoot(node: unknown): node is ShadowRoot {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 11 && 'host' in node;
}

/** The lower-case tag name as CSS type selectors see it (`localName` keeps SVG camelCase). */
export function tagOf(el: Element): string {
  return el.localName || el.tagName.toLowerCase();
}
