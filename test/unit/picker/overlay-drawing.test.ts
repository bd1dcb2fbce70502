// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { boxStyle, placeBox, placeLabel } from '../../../lib/picker/overlay-drawing';

/** happy-dom lays nothing out: give the label the height a browser would and the viewport its size. */
function sized(element: HTMLElement, width: number, height: number): HTMLElement {
  Object.defineProperty(element, 'offsetWidth', { configurable: true, value: width });
  Object.defineProperty(element, 'offsetHeight', { configurable: true, value: height });
  return element;
}

let label: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = '<div id="label"></div>';
  Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 1000 });
  Object.defineProperty(document.documentElement, 'clientHeight', { configurable: true, value: 600 });
  label = sized(document.getElementById('label')!, 120, 20);
});

/**
 * Where the label is drawn, [x, y], for a label `width` px wide: its transform keeps its right edge
 * in the viewport with a percentage of its own width, `max(4px, min(x, calc(right - 100%)))`,
 * which happy-dom cannot resolve, so it is resolved here.
 */
function drawnAt(element: HTMLElement, width: number): number[] | undefined {
  const parts = /^translate\(max\(4px, min\((-?\d+)px, calc\((-?\d+)px - 100%\)\)\), (-?\d+)px\)$/.exec(
    element.style.transform,
  );
  if (!parts) return undefined;
  const [x, right, y] = parts.slice(1).map(Number) as [number, number, number];
  return [Math.max(4, Math.min(x, right - width)), y];
}
const translation = (element: HTMLElement) => drawnAt(element, 120);

describe('placeBox', () => {
  it('moves the box by a transform and sizes it', () => {
    const box = document.createElement('div');
    placeBox(box, { x: 10.5, y: 20, width: 30, height: 40 });
    expect(box.style.transform).toBe('translate(10.5px, 20px)');
    expect([box.style.width, box.style.height]).toEqual(['30px', '40px']);
    expect(boxStyle({ x: 1, y: 2, width: 3, height: 4 })).toEqual({
      transform: 'translate(1px, 2px)',
      width: '3px',
      height: '4px',
    });
  });
});

describe('placeLabel', () => {
  it('puts the label 4 px above the element, at its left edge', async () => {
    await placeLabel(label, { x: 200, y: 300, width: 50, height: 30 });
    expect(translation(label)).toEqual([200, 276]);
  });

  it('puts it below the element where there is no room above', async () => {
    await placeLabel(label, { x: 200, y: 10, width: 50, height: 30 });
    expect(translation(label)).toEqual([200, 44]);
  });

  it('keeps it 4 px inside the viewport’s right edge, whatever its width', async () => {
    await placeLabel(label, { x: 950, y: 300, width: 40, height: 30 });
    expect(translation(label)).toEqual([1000 - 4 - 120, 276]);
    expect(drawnAt(label, 300)).toEqual([1000 - 4 - 300, 276]);
    expect(drawnAt(label, 30)).toEqual([950, 276]);
  });

  it('keeps it 4 px inside the viewport for an element half out of it', async () => {
    await placeLabel(label, { x: -50, y: 300, width: 40, height: 30 });
    expect(translation(label)).toEqual([4, 276]);
  });

  it('leaves a stale placement unwritten', async () => {
    await placeLabel(label, { x: 200, y: 300, width: 50, height: 30 });
    await placeLabel(label, { x: 500, y: 300, width: 50, height: 30 }, () => true);
    expect(translation(label)).toEqual([200, 276]);
  });
});
