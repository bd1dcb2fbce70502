import { checkTriggerHealth, type MatchFinder } from '../matcher';
import type { HealthReport } from '../shared/health';
import { HEALTH_MAX_CHECKS } from '../shared/health-limits';
import type { Trigger } from '../shared/trigger';
import { report } from './safe';

/** After the page's `load`, wait this long before checking: real pages keep rendering after it. */
export const HEALTH_SETTLE_MS = 2000;
/** Without `requestIdleCallback` (Safari), a slice may take this long. */
const FALLBACK_SLICE_MS = 8;
/** Stop a slice when less idle time than this is left: one check should fit in it. */
const MIN_REMAINING_MS = 2;
/**
 * A slice never runs longer than this, however long the browser says it is idle: an idle period
 * may last 50 ms, and a check that overruns it would be a long task for the page.
 */
const MAX_SLICE_MS = 8;

export interface HealthDefinition {
  fullyQualifiedName: string;
  trigger: Trigger;
}

export interface HealthOptions {
  /** Share of page views checked (0–1). */
  rate: number;
  /** The current definitions (read when the checks start, after the page settled). */
  definitions: () => readonly HealthDefinition[];
  /** How the tracker finds a trigger's elements (its `MatchCache`). */
  find: MatchFinder;
  send: (health: HealthReport) => void;
  /** Replaceable for tests; `Math.random` otherwise. */
  random?: () => number;
}

type IdleDeadline = { timeRemaining(): number };
type IdleWindow = Window & {
  requestIdleCallback?: (callback: (deadline: IdleDeadline) => void, options?: { timeout: number }) => number;
};

/**
 * A page may never be idle in the browser's sense (seen in Chromium on a visible tab after a
 * reload: no idle period for seconds): then the check runs anyway after this long, one definition
 * per callback (`timeRemaining()` is 0), so it still never blocks the page for long.
 */
const IDLE_TIMEOUT_MS = 3000;

/** The next idle period, or a short timer and a fixed budget where the browser has no idle callbacks. */
function whenIdle(win: IdleWindow, callback: (deadline: IdleDeadline) => void): void {
  if (typeof win.requestIdleCallback === 'function') {
    win.requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
    return;
  }
  win.setTimeout(() => {
    const start = Date.now();
    callback({ timeRemaining: () => Math.max(0, FALLBACK_SLICE_MS - (Date.now() - start)) });
  }, 50);
}

/**
 * Selector health for one page view (issue 9): sampled at `rate`, once the page has loaded and
 * settled, checks in idle time how every click definition whose URL rule covers the page finds
 * its element(s), and sends one report. The checks are split across idle callbacks so the page
 * never sees a long task; a navigation before they finish cancels them (the report would mix
 * two pages). Returns a function that cancels the pending checks.
 */
export function checkHealthLater(win: Window, options: HealthOptions): () => void {
  let cancelled = false;
  if (!(options.rate > 0) || (options.random ?? Math.random)() >= options.rate) return () => undefined;
  const href = win.location.href;
  const doc = win.document;

  const run = () => {
    if (cancelled) return;
    const definitions = options.definitions();
    const checks: HealthReport['checks'] = [];
    let next = 0;
    const slice = (deadline: IdleDeadline) => {
      if (cancelled || win.location.href !== href) return;
      const started = Date.now();
      do {
        const definition = definitions[next++];
        if (!definition) break;
        if (definition.trigger.kind !== 'click') continue;
        try {
          const signal = checkTriggerHealth(definition.trigger, doc, href, options.find);
          if (signal) checks.push({ eventName: definition.fullyQualifiedName, signal });
        } catch (error) {
          report(error); // one definition that cannot be evaluated is left out of the report
        }
      } while (deadline.timeRemaining() > MIN_REMAINING_MS && Date.now() - started < MAX_SLICE_MS);
      if (next < definitions.length) whenIdle(win, slice);
      else if (checks.length > 0)
        options.send({ path: win.location.pathname.slice(0, 1024), checks: checks.slice(0, HEALTH_MAX_CHECKS) });
    };
    whenIdle(win, slice);
  };

  const settle = () => {
    if (!cancelled) win.setTimeout(run, HEALTH_SETTLE_MS);
  };
  if (doc.readyState === 'complete') settle();
  else win.addEventListener('load', settle, { once: true });
  return () => {
    cancelled = true;
  };
}
