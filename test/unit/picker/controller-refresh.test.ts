// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

// Counts the pick's match searches (the costly part of a refresh), searching as the real one does.
const searches = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../lib/matcher', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../lib/matcher')>();
  return {
    ...real,
    previewClickTrigger: (...args: Parameters<typeof real.previewClickTrigger>) => {
      searches.count += 1;
      return real.previewClickTrigger(...args);
    },
  };
});
const { createPickerController } = await import('../../../lib/picker/controller');

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pickTheButton() {
  document.body.innerHTML =
    '<p id="ticker">0</p><ul><li><button class="add" type="button">Add</button></li><li><button class="add" type="button">Add</button></li></ul>';
  const host = document.createElement('clicktrail-picker');
  document.documentElement.append(host);
  const abort = new AbortController();
  const controller = createPickerController({ window, host, signal: abort.signal });
  controller.start();
  document.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  const view = controller.store.getState().view;
  if (view.phase !== 'naming') throw new Error(`the pick did not open the panel (phase ${view.phase})`);
  return { controller, abort };
}

describe('createPickerController: keeping the panel up to date with the page', () => {
  let abort: AbortController | undefined;
  afterEach(() => abort?.abort());

  it('searches the matches again after a page change, but at most every 150 ms while the page keeps changing', async () => {
    ({ abort } = pickTheButton());
    searches.count = 0;
    // One change after a quiet time: searched again within a frame or two.
    document.getElementById('ticker')!.textContent = '1';
    await vi.waitFor(() => expect(searches.count).toBe(1), { timeout: 500, interval: 5 });
    // A page that changes every 5 ms for 900 ms (a ticker, a carousel).
    const started = performance.now();
    let tick = 2;
    while (performance.now() - started < 900) {
      document.getElementById('ticker')!.textContent = String(tick++);
      await wait(5);
    }
    await wait(400);
    // 900 ms + the trailing search: at most 900 / 150 + 2 searches, where one per frame was ~55.
    expect(searches.count).toBeGreaterThanOrEqual(4);
    expect(searches.count).toBeLessThanOrEqual(8);
  });

  it('moves the highlights on scroll and resize without searching again', async () => {
    let controller;
    ({ controller, abort } = pickTheButton());
    searches.count = 0;
    const before = controller.store.getState().view;
    for (let event = 0; event < 10; event++) {
      window.dispatchEvent(new Event(event % 2 ? 'resize' : 'scroll'));
      await wait(20);
    }
    const after = controller.store.getState().view;
    expect(searches.count).toBe(0);
    // The highlights were redrawn (a new picked rect and new match rects), from the same matches.
    if (before.phase !== 'naming' || after.phase !== 'naming') throw new Error('the panel closed');
    expect(after.picked.rect).not.toBe(before.picked.rect);
    expect(after.preview.found).toBe(before.preview.found);
    expect(after.preview.rects).not.toBe(before.preview.rects);
  });
});
