import { t } from '../i18n';
import { elementText, isDocument, tagOf } from '../matcher';

/**
 * Short human description of an element for the picker UI, e.g. `button “Add to cart”`. Reads
 * text from the DOM (bounded), never `innerText`, which forces a layout on every hover.
 */
export function elementLabel(element: Element): string {
  const text = elementText(element) ?? element.getAttribute('aria-label')?.trim() ?? '';
  const base = text
    ? t('picker.elementWithText', { tag: tagOf(element), text: text.length > 40 ? `${text.slice(0, 39)}…` : text })
    : tagOf(element);
  if (tagOf(element) === 'iframe' && !sameOriginDocument(element))
    return t('picker.crossOriginFrame', { element: base });
  return base;
}

/** A label to suggest for the event: the element's own words, else its tag. */
export function suggestEventLabel(element: Element): string {
  const text =
    elementText(element) || element.getAttribute('aria-label')?.trim() || element.getAttribute('title')?.trim();
  return t('picker.clickedLabel', {
    text: text ? (text.length > 60 ? text.slice(0, 60).trim() : text) : tagOf(element),
  });
}

/** The document of a same-origin iframe, else null (cross-origin or not a frame). */
export function sameOriginDocument(frame: Element): Document | null {
  try {
    const doc = (frame as HTMLIFrameElement).contentDocument;
    return isDocument(doc) ? doc : null;
  } catch {
    return null;
  }
}

/**
 * Viewport rectangle of an element in the top window's coordinates, as plain data: an element in
 * a same-origin iframe is offset by the frame's position (and its border/padding).
 */
export function rectOf(element: Element): { x: number; y: number; width: number; height: number } {
  const rect = element.getBoundingClientRect();
  let x = rect.x;
  let y = rect.y;
  let frame = frameOf(element);
  while (frame) {
    const outer = frame.getBoundingClientRect();
    x += outer.x + frame.clientLeft;
    y += outer.y + frame.clientTop;
    frame = frameOf(frame);
  }
  return { x, y, width: rect.width, height: rect.height };
}

function frameOf(element: Element): Element | null {
  try {
    return element.ownerDocument.defaultView?.frameElement ?? null;
  } catch {
    return null;
  }
}
