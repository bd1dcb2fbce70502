// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createOverlayProbe, IDENTITY_FRAME, toOverlay } from '../../../lib/picker/overlay-frame';

describe('toOverlay', () => {
  it.each([
    ['an untouched page', IDENTITY_FRAME],
    ['<html> zoomed 1.5', { x: 0, y: 0, scale: 1.5 }],
    ['<html> transformed and scrolled by 2452', { x: 0, y: -2452, scale: 1 }],
  ] as const)('places a viewport box in the overlay’s frame: %s', (_, frame) => {
    const rect = { x: 15, y: 30, width: 45, height: 60 };
    const placed = toOverlay(rect, frame);
    // Drawn in the frame, the box lands where the element is.
    expect({
      x: frame.x + placed.x * frame.scale,
      y: frame.y + placed.y * frame.scale,
      width: placed.width * frame.scale,
      height: placed.height * frame.scale,
    }).toEqual(rect);
    if (frame === IDENTITY_FRAME) expect(placed).toBe(rect);
    else expect(placed).not.toEqual(rect);
  });
});

describe('createOverlayProbe', () => {
  it('adds one hidden probe and measures no correction where nothing is laid out', () => {
    const parent = document.createElement('div');
    document.body.append(parent);
    const measure = createOverlayProbe(parent);
    expect(parent.children).toHaveLength(1);
    expect((parent.firstElementChild as HTMLElement).style.visibility).toBe('hidden');
    expect(measure()).toBe(IDENTITY_FRAME);
  });
});
