/**
 * Runs inside the benchmark's Chromium tab: mounts the real picker (controller + React overlay
 * in a shadow root, with the extension's CSS) on the page and times what the user waits for.
 * Every measurement ends the same way — a macrotask yield (React and floating-ui settle) and a
 * forced layout read of what was drawn — for the picker and for the bare ceilings alike.
 */
import './i18n-shim';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { PickerApp } from '../../../components/picker/PickerApp';
import { couldMatch, evaluateClick, findMatches, MatchCache } from '../../../lib/matcher';
import { createPickerController, type PickerController } from '../../../lib/picker/controller';
import { describeElement } from '../../../lib/selector';
import type { ClickTrigger } from '../../../lib/shared';

let controller: PickerController;
let shadow: ShadowRoot;
let targets: Element[] = [];
const abort = new AbortController();

/** Lets every microtask and a macrotask pass (MessageChannel: no 1 ms timer clamp). */
function settle(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

const testId = (id: string) => shadow.querySelector(`[data-testid="${id}"]`);

/** Visible elements of the page, spread evenly over the document, as hover and pick targets. */
function chooseTargets(count: number): Element[] {
  const all = Array.from(document.body.querySelectorAll('*')).filter((el) => {
    if (el.closest('clicktrail-picker')) return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  });
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, index) => index % step === 0).slice(0, count);
}

export function setup(css: string, count: number): { elements: number; targets: number } {
  const host = document.createElement('clicktrail-picker');
  document.documentElement.append(host);
  shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  shadow.append(style, container);
  controller = createPickerController({
    window,
    host,
    signal: abort.signal,
    createDefinition: () => Promise.reject(new Error('the benchmark never saves')),
  });
  flushSync(() => createRoot(container).render(<PickerApp controller={controller} />));
  targets = chooseTargets(count);
  return { elements: document.getElementsByTagName('*').length, targets: targets.length };
}

function pointerMove(target: Element): void {
  const rect = target.getBoundingClientRect();
  target.dispatchEvent(
    new PointerEvent('pointermove', {
      bubbles: true,
      composed: true,
      clientX: rect.x + 1,
      clientY: rect.y + 1,
    }),
  );
}

/** A box drawn where `rect` is (within a pixel), else an error naming `what`. */
function expectOver(box: Element | null, rect: { x: number; y: number; width: number; height: number }, what: string) {
  const drawn = box?.getBoundingClientRect();
  const off = drawn
    ? Math.max(
        Math.abs(drawn.x - rect.x),
        Math.abs(drawn.y - rect.y),
        Math.abs(drawn.width - rect.width),
        Math.abs(drawn.height - rect.height),
      )
    : Infinity;
  if (!(off <= 1)) throw new Error(`${what} was not drawn over its element when the timing ended (off by ${off} px)`);
}

/**
 * One hover update: pointer move → highlight and label placed. Checked after the timing (nothing
 * runs in between): a picker that drew later, e.g. in the next animation frame, fails here rather
 * than being timed before it drew.
 */
export async function hover(index: number): Promise<number> {
  if (controller.store.getState().view.phase !== 'picking') {
    controller.start();
    await settle();
  }
  const target = targets[index % targets.length]!;
  const start = performance.now();
  pointerMove(target);
  await settle();
  testId('picker-highlight')?.getBoundingClientRect();
  testId('picker-tooltip')?.getBoundingClientRect();
  const took = performance.now() - start;
  const hovered = controller.hover.getState().hover;
  const label = testId('picker-tooltip') as HTMLElement | null;
  if (!hovered) throw new Error(`hovering a ${target.localName} highlighted nothing`);
  expectOver(testId('picker-highlight'), hovered.rect, 'the hover highlight');
  // The label sits 4 px above the element, or below it where there is no room above.
  const placed = label?.getBoundingClientRect();
  const { y, height } = hovered.rect;
  // Horizontally at the element's left edge, shifted to stay 4 px inside the viewport: the label's
  // width the picker measured (from its font) must be the width it was drawn with.
  const viewportWidth = document.documentElement.clientWidth;
  const left = placed && Math.max(4, Math.min(hovered.rect.x, viewportWidth - 4 - placed.width));
  const aligned =
    placed &&
    Math.min(Math.abs(placed.bottom + 4 - y), Math.abs(placed.top - 4 - (y + height))) <= 1 &&
    Math.abs(placed.left - left!) <= 1;
  if (!label || label.hidden || label.textContent !== hovered.label || !aligned) {
    throw new Error(
      `the hover label was not placed when the timing ended (“${label?.textContent ?? ''}”) ${JSON.stringify({ placed, left, rect: hovered.rect, viewportWidth })}`,
    );
  }
  return took;
}

let bare: HTMLDivElement | undefined;
/** The ceiling: the least any hover highlighter does (target, its box, a positioned div). */
export async function bareHover(index: number): Promise<number> {
  if (!bare) {
    bare = document.createElement('div');
    bare.style.cssText = 'position:fixed;pointer-events:none;outline:2px solid red;z-index:2147483647';
    document.documentElement.append(bare);
    window.addEventListener(
      'pointermove',
      (event) => {
        const rect = (event.composedPath()[0] as Element).getBoundingClientRect();
        Object.assign(bare!.style, {
          left: `${rect.x}px`,
          top: `${rect.y}px`,
          width: `${rect.width}px`,
          height: `${rect.height}px`,
        });
      },
      { capture: true },
    );
  }
  controller.cancel();
  const target = targets[index % targets.length]!;
  const start = performance.now();
  pointerMove(target);
  await settle();
  bare.getBoundingClientRect();
  const took = performance.now() - start;
  expectOver(bare, target.getBoundingClientRect(), 'the bare highlight');
  return took;
}

/** One pick: click → candidates, verdict and match count shown in the panel. */
export async function pick(index: number): Promise<number> {
  controller.start();
  await settle();
  const target = targets[(index * 7) % targets.length]!;
  const start = performance.now();
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
  await settle();
  testId('picker-match-count')?.getBoundingClientRect();
  const took = performance.now() - start;
  expectShown(`picking a ${target.localName}`);
  return took;
}

/** The panel shows the pick's selector, verdict and match count (checked after the timing). */
function expectShown(what: string): void {
  const view = controller.store.getState().view;
  if (view.phase !== 'naming' || !testId('picker-panel')) {
    throw new Error(`${what} showed no panel (phase ${view.phase})`);
  }
  const shown = (id: string) => testId(id)?.textContent ?? '';
  const count = view.preview.found.toLocaleString('en');
  if (
    shown('picker-selector') !== view.picked.trigger.selector ||
    !shown('picker-quality') ||
    !shown('picker-match-count').includes(count)
  ) {
    throw new Error(`${what}: the panel did not show the selector, verdict and count ${count} when the timing ended`);
  }
}

/** Switching a pick to "all similar": similar candidates, every match highlighted and counted. */
export async function similar(index: number): Promise<number> {
  await pick(index);
  const start = performance.now();
  controller.setMode('similar');
  await settle();
  testId('picker-match-count')?.getBoundingClientRect();
  const took = performance.now() - start;
  const view = controller.store.getState().view;
  if (view.phase !== 'naming' || view.draft.mode !== 'similar')
    throw new Error('the switch to all similar did not happen');
  expectShown('switching to all similar');
  const drawn = shadow.querySelectorAll('[data-testid="picker-match"]').length;
  if (view.preview.found > 1 && drawn !== Math.min(view.preview.found, 300)) {
    throw new Error(`all similar: ${drawn} matches drawn of ${view.preview.found}`);
  }
  return took;
}

/** The ceiling of a pick: describeElement alone (no matching, no panel). */
export function describeOnly(index: number): number {
  const target = targets[(index * 7) % targets.length]!;
  const start = performance.now();
  describeElement(target);
  return performance.now() - start;
}

/** Starts the sweep: the picker picking, or (`bare`) only the bare highlighter listening. */
export function startSweep(bare: boolean): void {
  if (bare) {
    controller.cancel();
    void bareHover(0);
  } else controller.start();
}

/** Long tasks (> 50 ms) the page had since `observeLongTasks` started. */
let longTasks: number[] = [];
export function observeLongTasks(): void {
  longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
}
export function takeLongTasks(): number[] {
  return longTasks;
}

/**
 * The tracker's click handling, as `lib/tracker` does it: `couldMatch`, then the shared
 * evaluation per click definition — with `findMatches` on every click (no cache) or through
 * the MatchCache (repeated clicks on an unchanged page).
 */
let definitions: ClickTrigger[] = [];
let cache: MatchCache | undefined;
export function setupTracker(links: number): number {
  const anchors = Array.from(document.querySelectorAll('a[href]')).slice(0, links);
  definitions = anchors.map((a) => ({ kind: 'click', element: describeElement(a), url: { match: 'any' } }));
  cache = new MatchCache(document, (element) => findMatches(element, document));
  return definitions.length;
}
export function trackerClick(index: number, cached: boolean): number {
  const anchors = document.querySelectorAll('a[href]');
  const target = anchors[(index * 13) % definitions.length]!;
  const path: EventTarget[] = [];
  for (let node: Element | null = target; node; node = node.parentElement) path.push(node);
  path.push(document, window);
  const start = performance.now();
  let fired = 0;
  for (const trigger of definitions) {
    if (!couldMatch(trigger.element, path)) continue;
    const firing = evaluateClick(trigger, {
      root: document,
      href: location.href,
      path,
      ...(cached && cache ? { find: cache.get } : {}),
    });
    if (firing) fired++;
  }
  const took = performance.now() - start;
  if (fired === 0) throw new Error('a tracked link did not fire');
  return took;
}
