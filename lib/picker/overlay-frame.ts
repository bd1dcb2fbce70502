/**
 * Where the overlay's `position: fixed` boxes really land. They are placed in viewport
 * coordinates, which holds while nothing above Clicktrail's host changes the containing block; but
 * a page may zoom `<html>` (the host's parent: CSS `zoom` scales everything inside it) or
 * transform it (`* { transform: … }`, then fixed boxes are laid out in `<html>`'s box and scroll
 * with it). A probe box inside the overlay, at 0,0 and 100px wide, measures both; seen on the
 * demo's flash-sale page with `?css=aggressive` and with `html { zoom: 1.5 }`.
 */
export interface OverlayFrame {
  /** Where the overlay's 0,0 is in the viewport. */
  x: number;
  y: number;
  /** Viewport pixels per overlay pixel. */
  scale: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The frame of an overlay nothing above changes. */
export const IDENTITY_FRAME: OverlayFrame = { x: 0, y: 0, scale: 1 };

const PROBE_WIDTH = 100;

/**
 * Adds an invisible probe to `parent` (inside the overlay's shadow root) and returns the function
 * that measures the overlay's frame with it.
 */
export function createOverlayProbe(parent: ParentNode & Node): () => OverlayFrame {
  const doc = parent.ownerDocument ?? (parent as Document);
  const probe = doc.createElement('div');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.cssText = `position:fixed;left:0;top:0;width:${PROBE_WIDTH}px;height:0;margin:0;padding:0;border:0;visibility:hidden;pointer-events:none`;
  parent.append(probe);
  return () => {
    const box = probe.getBoundingClientRect();
    // Detached (the page removed the host) or not laid out: nothing to correct.
    if (!(box.width > 0)) return IDENTITY_FRAME;
    return { x: box.x, y: box.y, scale: box.width / PROBE_WIDTH };
  };
}

/** A viewport rectangle in the overlay's own coordinates (what its `left`/`top` styles mean). */
export function toOverlay(rect: Rect, frame: OverlayFrame): Rect {
  if (frame === IDENTITY_FRAME || (frame.x === 0 && frame.y === 0 && frame.scale === 1)) return rect;
  return {
    x: (rect.x - frame.x) / frame.scale,
    y: (rect.y - frame.y) / frame.scale,
    width: rect.width / frame.scale,
    height: rect.height / frame.scale,
  };
}
