import { computePosition, flip, offset, shift, type Platform } from '@floating-ui/dom';
import { isElement } from '../matcher';
import type { Rect } from './picker-store';

/**
 * Drawing the overlay's boxes and labels straight into their DOM nodes, for the paths that run on
 * every pointer move (the hover highlight) as well as the React ones: one way to place a label.
 *
 * The overlay's boxes and labels are `position: fixed` children of Clicktrail's shadow root (no
 * offset parent, no clipping ancestor, `:host { all: initial }` so never right-to-left unless the
 * overlay says so itself), so floating-ui needs only their size and the viewport. Its default DOM
 * platform finds that out with `getComputedStyle` on every ancestor of the label, which forced a
 * style recalculation of the page on every hover (about 1 ms of a 1.5 ms hover on the benchmark's
 * 10,000-element page, bench/results/picker.md).
 */
function viewportPlatform(doc: Document): Platform {
  const size = (element: Element) => {
    const box = element as HTMLElement;
    return { width: box.offsetWidth, height: box.offsetHeight };
  };
  return {
    getElementRects: ({ reference, floating }) => {
      const { x, y, width, height } = reference.getBoundingClientRect();
      return { reference: { x, y, width, height }, floating: { x: 0, y: 0, ...size(floating) } };
    },
    getDimensions: size,
    // The viewport without its scrollbars, as floating-ui's own viewport rectangle.
    getClippingRect: () => ({
      x: 0,
      y: 0,
      width: doc.documentElement.clientWidth,
      height: doc.documentElement.clientHeight,
    }),
    isRTL: (element) => {
      try {
        return element.matches(':dir(rtl)');
      } catch {
        return false;
      }
    },
    // A fixed box's offset parent is the viewport: nothing to convert, no scale.
    getOffsetParent: () => doc.defaultView ?? doc.documentElement,
    isElement,
    getDocumentElement: () => doc.documentElement,
    convertOffsetParentRelativeRectToViewportRelativeRect: ({ rect }) => rect,
    getScale: () => ({ x: 1, y: 1 }),
    getClientRects: (element) => Array.from(element.getClientRects()),
  };
}

/**
 * The style that puts a fixed-position box (at `left: 0; top: 0`) over `rect`, in viewport
 * coordinates: moved by a transform, which the compositor animates without a page repaint.
 */
export function boxStyle(rect: Rect): { transform: string; width: string; height: string } {
  return { transform: `translate(${rect.x}px, ${rect.y}px)`, width: `${rect.width}px`, height: `${rect.height}px` };
}

/** Puts a fixed-position box over `rect` (see `boxStyle`). */
export function placeBox(box: HTMLElement, rect: Rect): void {
  Object.assign(box.style, boxStyle(rect));
}

/**
 * Places a fixed-position label above `rect` (below it, or shifted, where the viewport ends).
 * floating-ui answers in microtasks, still within the task that asked (so before the next frame);
 * `stale` says when a newer placement of the same label has been asked for meanwhile.
 */
export async function placeLabel(label: HTMLElement, rect: Rect, stale: () => boolean = () => false): Promise<void> {
  const reference = {
    getBoundingClientRect: () => ({
      ...rect,
      left: rect.x,
      top: rect.y,
      right: rect.x + rect.width,
      bottom: rect.y + rect.height,
    }),
  };
  const { x, y } = await computePosition(reference, label, {
    strategy: 'fixed',
    placement: 'top-start',
    middleware: [offset(4), flip(), shift({ padding: 4 })],
    platform: viewportPlatform(label.ownerDocument),
  });
  if (!stale()) label.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}
