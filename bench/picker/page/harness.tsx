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

/** One hover update: pointer move → highlight and label placed. */
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
  return performance.now() - start;
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
  return performance.now() - start;
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
  if (!testId('picker-panel')) {
    throw new Error(`the pick showed no panel (phase ${controller.store.getState().view.phase}, ${target.localName})`);
  }
  return took;
}

/** Switching a pick to "all similar": similar candidates, every match highlighted and counted. */
export async function similar(index: number): Promise<number> {
  await pick(index);
  const start = performance.now();
  controller.setMode('similar');
  await settle();
  testId('picker-match-count')?.getBoundingClientRect();
  return performance.now() - start;
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
