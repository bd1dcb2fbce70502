import { isElement } from '../matcher';

/**
 * Captures the page's pointer input while the user picks an element, the way React DevTools'
 * highlighter does: capture-phase listeners on the window, `preventDefault` +
 * `stopImmediatePropagation`, so the site's handlers and navigation never run for these events.
 * Events inside Clicktrail's own UI (`isOwnUi`) pass through untouched, and so do events with
 * Shift held: the user opens a menu or a dialog on the site, then picks inside it.
 */
export interface PickSessionCallbacks {
  onHover: (element: Element | null) => void;
  onPick: (element: Element) => void;
  onCancel: () => void;
  /** The page scrolled: the element under a still pointer changed. */
  onScroll: () => void;
}

export interface PickSessionOptions extends PickSessionCallbacks {
  window: Window;
  /** True for events inside Clicktrail's own UI, which must never be picked or blocked. */
  isOwnUi: (event: Event) => boolean;
  signal: AbortSignal;
}

/** Events that would let the site react to the click the user makes to pick an element. */
const BLOCKED_EVENTS = [
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
  'dblclick',
  'auxclick',
  'contextmenu',
  'touchstart',
  'touchend',
  'submit',
] as const;

/** The deepest element under the event, inside open shadow roots too (any realm: iframes). */
function deepTarget(event: Event): Element | null {
  for (const node of event.composedPath()) {
    if (isElement(node)) return node;
  }
  return null;
}

/** Starts capturing; abort `signal` to stop. */
export function startPickSession(options: PickSessionOptions): void {
  const { window: win, signal, isOwnUi } = options;
  const listen = <K extends keyof WindowEventMap>(type: K, handler: (event: WindowEventMap[K]) => void) =>
    win.addEventListener(type, handler, { capture: true, signal });

  const passes = (event: Event) => isOwnUi(event) || (event as MouseEvent).shiftKey === true;
  const block = (event: Event) => {
    if (passes(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  for (const type of BLOCKED_EVENTS) listen(type, block);

  let lastHovered: Element | null = null;
  listen('pointermove', (event) => {
    if (isOwnUi(event)) return;
    const target = deepTarget(event);
    if (target === lastHovered) return;
    lastHovered = target;
    options.onHover(target);
  });
  listen('click', (event) => {
    if (passes(event)) return;
    block(event);
    const target = deepTarget(event);
    if (target) options.onPick(target);
  });
  listen('keydown', (event) => {
    if (event.key !== 'Escape') return;
    block(event);
    options.onCancel();
  });
  // Scrolling moves the element under a still pointer; clear the stale highlight.
  listen('scroll', () => {
    lastHovered = null;
    options.onScroll();
  });
}
