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
 *
 * Placing a label reads nothing that the caller's writes (the new text, the box) make stale, so a
 * hover forces no style recalculation and layout of its own — the one the browser does for the
 * frame is all (each forced one cost about 0.25 ms of style recalculation on the corpus's Reddit
 * pages, however little had changed). Its height is its line height and padding, read once per
 * label; its width, which depends on the text, is left to the browser: floating-ui places the
 * label above or below the element (flip) and keeps its left edge in the viewport, and the
 * transform's `min(…, 100vw − 4px − 100%)` (a percentage of the label's own width) keeps its right
 * edge in, where the element is too close to the viewport's right side.
 */

/** What placing a label needs, read before anything is written. */
interface Measured {
  viewport: { width: number; height: number };
  height: number;
  rtl: boolean;
}

/** Space kept between a label and the viewport's edges. */
const EDGE = 4;

function viewportPlatform(measured: Measured): Platform {
  // Zero wide: the label's width is applied by its transform (see above).
  const label = { width: 0, height: measured.height };
  return {
    getElementRects: ({ reference }) => {
      const { x, y, width, height } = reference.getBoundingClientRect();
      return { reference: { x, y, width, height }, floating: { x: 0, y: 0, ...label } };
    },
    getDimensions: () => label,
    // The viewport without its scrollbars, as floating-ui's own viewport rectangle.
    getClippingRect: () => ({ x: 0, y: 0, ...measured.viewport }),
    isRTL: () => measured.rtl,
    // A fixed box's offset parent is the viewport: nothing to convert, no scale.
    getOffsetParent: (element) => element.ownerDocument?.defaultView ?? element,
    isElement,
    getDocumentElement: (element) => element.ownerDocument?.documentElement ?? element,
    convertOffsetParentRelativeRectToViewportRelativeRect: ({ rect }) => rect,
    getScale: () => ({ x: 1, y: 1 }),
    getClientRects: () => [],
  };
}

/** Each label's height (one line: `white-space: nowrap`), read once: its style never changes. */
const labelHeights = new WeakMap<HTMLElement, number>();
const px = (value: string) => parseFloat(value) || 0;

function labelHeight(label: HTMLElement): number {
  const known = labelHeights.get(label);
  if (known !== undefined) return known;
  let height = 0;
  try {
    const style = label.ownerDocument.defaultView!.getComputedStyle(label);
    const fontSize = px(style.fontSize);
    const line = style.lineHeight === 'normal' ? Math.round(fontSize * 1.2) : px(style.lineHeight);
    if (line > 0 && style.whiteSpace === 'nowrap') {
      height =
        line + px(style.paddingTop) + px(style.paddingBottom) + px(style.borderTopWidth) + px(style.borderBottomWidth);
    }
  } catch {
    // No computed style: measured from its box below.
  }
  // A label that may wrap (or a DOM without styles, in tests) is measured from its box every time.
  if (!(height > 0)) return label.offsetHeight;
  labelHeights.set(label, height);
  return height;
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
 * Places a fixed-position label above `rect` (below it where there is no room above), at the
 * element's left edge and inside the viewport. It reads what it needs now, synchronously (the
 * viewport and the label's height, neither of which the new text or box changes); floating-ui
 * answers in microtasks, still within the task that asked (so before the next frame); `stale` says
 * when a newer placement of the same label has been asked for meanwhile.
 */
export async function placeLabel(label: HTMLElement, rect: Rect, stale: () => boolean = () => false): Promise<void> {
  const doc = label.ownerDocument;
  let rtl = false;
  try {
    rtl = label.matches(':dir(rtl)');
  } catch {
    // A browser without :dir(): left to right.
  }
  const measured: Measured = {
    viewport: { width: doc.documentElement.clientWidth, height: doc.documentElement.clientHeight },
    height: labelHeight(label),
    rtl,
  };
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
    middleware: [offset(4), flip(), shift({ padding: EDGE })],
    platform: viewportPlatform(measured),
  });
  if (stale()) return;
  const right = measured.viewport.width - EDGE;
  label.style.transform = `translate(max(${EDGE}px, min(${Math.round(x)}px, calc(${right}px - 100%))), ${Math.round(y)}px)`;
}
