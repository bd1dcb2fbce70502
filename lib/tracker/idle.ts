/**
 * Idle-time slices for the tracker's background work (selector health, warming the match cache):
 * the browser's idle callbacks, bounded so that no slice is a long task for the page.
 */

/** Without `requestIdleCallback` (Safari), a slice may take this long. */
const FALLBACK_SLICE_MS = 5;
/** Idle time left unused at the end of an idle period (the browser's own work after it). */
const MIN_REMAINING_MS = 1;
/** A slice does at least this much (one unit of work) even when the idle period is over. */
const MIN_SLICE_MS = 1;
/**
 * A slice never runs longer than this, however long the browser says it is idle: an idle period
 * may last 50 ms, and work that overruns it would be a long task for the page.
 */
export const MAX_SLICE_MS = 5;
/**
 * A page may never be idle in the browser's sense (seen in Chromium on a visible tab after a
 * reload: no idle period for seconds): then the work runs anyway after this long, `MIN_SLICE_MS`
 * per callback (`timeRemaining()` is 0), so it still never blocks the page for long.
 */
const IDLE_TIMEOUT_MS = 3000;

export type IdleDeadline = { timeRemaining(): number };
type IdleWindow = Window & {
  requestIdleCallback?: (callback: (deadline: IdleDeadline) => void, options?: { timeout: number }) => number;
};

/** The next idle period, or a short timer and a fixed budget where the browser has no idle callbacks. */
export function whenIdle(win: IdleWindow, callback: (deadline: IdleDeadline) => void): void {
  if (typeof win.requestIdleCallback === 'function') {
    win.requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
    return;
  }
  win.setTimeout(() => {
    const start = Date.now();
    callback({ timeRemaining: () => Math.max(0, FALLBACK_SLICE_MS - (Date.now() - start)) });
  }, 50);
}

/** When a slice that starts at `now` must end: the idle time left, at least `MIN_SLICE_MS`, at most `MAX_SLICE_MS`. */
export function sliceEnd(deadline: IdleDeadline, now: number): number {
  return now + Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, deadline.timeRemaining() - MIN_REMAINING_MS));
}

/** The page's clock in ms (`performance.now`, or `Date.now` where a page lacks it). */
export function clockOf(win: Window): () => number {
  return () => win.performance?.now() ?? Date.now();
}
