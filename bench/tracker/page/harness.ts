/**
 * Runs inside the benchmark page (bundled as an iife by bench/tracker/run.ts): makes click
 * definitions the way the extension does (`describeElement`), times one dispatched click with
 * `performance.now()` (whatever listens — the real tracker.js, a naive tracker, or nothing), and
 * times the tracker's selector-health check per page view, slice by slice.
 */
import { evaluateClick, findMatches, MatchCache } from '../../../lib/matcher';
import { describeElement } from '../../../lib/selector';
import type { HealthReport, TrackerConfig } from '../../../lib/shared';
import { checkHealthLater } from '../../../lib/tracker/health';

type Definition = TrackerConfig['definitions'][number];

/** Distinct clickable elements, links and buttons first, then other elements with text. */
function targets(count: number): Element[] {
  const clickable = Array.from(document.querySelectorAll('a[href], button'));
  const others = Array.from(document.querySelectorAll('body li, body p, body h2, body h3, body span'));
  return [...clickable, ...others].slice(0, count);
}

let tracked: Element[] = [];

/** `count` click definitions of distinct elements of this page (as the picker would save them). */
export function definitions(count: number): Definition[] {
  tracked = targets(count);
  return tracked.map((el, index) => ({
    name: `d${index}`,
    fullyQualifiedName: `pe1_d${index}`,
    trigger: { kind: 'click', url: { match: 'any' }, element: describeElement(el) },
  }));
}

/** Remembers which elements the definitions were made from (on a page reloaded with the same HTML). */
export function useTargets(count: number): number {
  tracked = targets(count);
  // A click must never navigate away from the page under test.
  document.addEventListener('click', (event) => event.preventDefault());
  return tracked.length;
}

/** The naive alternative: every definition searched on every click (no `couldMatch`, no cache). */
export function installNaive(defs: Definition[]): void {
  window.addEventListener(
    'click',
    (event) => {
      const path = event.composedPath();
      for (const { trigger } of defs) {
        if (trigger.kind !== 'click') continue;
        evaluateClick(trigger, { root: document, href: location.href, path, find: (t) => findMatches(t, document) });
      }
    },
    { capture: true },
  );
}

/** One click on the `index`-th tracked element, timed around the dispatch (all listeners included). */
export function click(index: number): number {
  const target = tracked[(index * 13) % tracked.length]!;
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
  const start = performance.now();
  target.dispatchEvent(event);
  return performance.now() - start;
}

/**
 * `click`, and the time spent in the timer tasks the click's listeners started (the tracker sends
 * a click's completion in a task of its own right after the click): every `setTimeout` callback
 * scheduled during the dispatch is timed when it runs. Resolves once those due within `wait` ms ran.
 */
export async function clickAndSend(index: number, wait = 20): Promise<{ click: number; send: number }> {
  // Put back as it was after the click (the very same function); called with `window` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = window.setTimeout;
  let send = 0;
  window.setTimeout = ((fn: TimerHandler, delay?: number, ...args: unknown[]) =>
    original.call(
      window,
      () => {
        const start = performance.now();
        try {
          if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
        } finally {
          send += performance.now() - start;
        }
      },
      delay,
    )) as unknown as typeof window.setTimeout;
  let clicked: number;
  try {
    clicked = click(index);
  } finally {
    window.setTimeout = original;
  }
  await new Promise((resolve) => original.call(window, resolve, wait));
  return { click: clicked, send };
}

/** Long tasks seen on the page, and the idle slices the health checks ran in (start, end). */
const longTasks: { start: number; end: number }[] = [];
const healthSlices: { start: number; end: number }[] = [];
export function observeLongTasks(): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }).observe({ type: 'longtask' });
}
/**
 * The long tasks since the last call: all of them, and those during a health-check slice (the
 * others are the page's or the benchmark's own work, such as passing the definitions in).
 */
export function takeLongTasks(): { all: number; duringHealth: number } {
  const tasks = longTasks.splice(0);
  const slices = healthSlices.splice(0);
  const duringHealth = tasks.filter((task) =>
    slices.some((slice) => slice.start < task.end && task.start < slice.end),
  ).length;
  return { all: tasks.length, duringHealth };
}

/**
 * Removes every `every`-th tracked element from the page (a redeploy that dropped them): their
 * definitions are broken, the expensive case of a health check. Returns their names.
 */
export function breakTargets(every: number): string[] {
  const names: string[] = [];
  tracked.forEach((el, index) => {
    if (index % every !== 0) return;
    el.remove();
    names.push(`pe1_d${index}`);
  });
  return names;
}

/**
 * One sampled page view's health check as the tracker runs it (`checkHealthLater`, real idle
 * callbacks, a fresh match cache: nothing found yet on a new page), without the settle delay.
 * Resolves with the time spent in each idle slice and what the page view reported.
 */
export function healthCheck(defs: Definition[]): Promise<{ slices: number[]; checks: HealthReport['checks'] }> {
  return new Promise((resolve) => {
    const slices: number[] = [];
    const cache = new MatchCache(document, (trigger, work) => findMatches(trigger, document, work));
    const win = {
      location,
      document,
      performance,
      MutationObserver,
      setTimeout: (fn: () => void) => window.setTimeout(fn, 0),
      addEventListener: () => undefined,
      requestIdleCallback: (callback: (deadline: IdleDeadline) => void) => {
        requested = true;
        window.requestIdleCallback((deadline) => {
          requested = false;
          const start = performance.now();
          callback(deadline);
          const end = performance.now();
          slices.push(end - start);
          healthSlices.push({ start, end });
          // A slice that asked for no further one was the last: the page view's checks are over.
          if (!requested) resolve({ slices, checks });
        });
      },
    } as unknown as Window;
    let requested = false;
    let checks: HealthReport['checks'] = [];
    checkHealthLater(win, {
      rate: 1,
      definitions: () => defs,
      find: cache.get,
      send: (report) => (checks = report.checks),
    });
  });
}
