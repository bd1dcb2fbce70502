/** Short human description of an element for the picker UI, e.g. `button “Add to cart”`. */
export function elementLabel(element: Element): string {
  const tag = element.tagName.toLowerCase();
  const text = visibleText(element);
  return text ? `${tag} “${text.length > 40 ? `${text.slice(0, 39)}…` : text}”` : tag;
}

/** A label to suggest for the event: the element's own words, else its tag. */
export function suggestEventLabel(element: Element): string {
  const text =
    visibleText(element) || element.getAttribute('aria-label')?.trim() || element.getAttribute('title')?.trim();
  if (text) return `Clicked ${text.length > 60 ? text.slice(0, 60).trim() : text}`;
  return `Clicked ${element.tagName.toLowerCase()}`;
}

function visibleText(element: Element): string {
  const raw = element instanceof HTMLElement ? element.innerText || element.textContent : element.textContent;
  return (raw ?? '').replace(/\s+/g, ' ').trim();
}

/** Viewport rectangle of an element as plain data. */
export function rectOf(element: Element): { x: number; y: number; width: number; height: number } {
  const rect = element.getBoundingClientRect();
  return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
}
