import { checkTriggerHealth, MatchWork, OUT_OF_TIME, type MatchFinder } from '../matcher';
import type { HealthReport } from '../shared/health';
import { HEALTH_MAX_CHECKS } from '../shared/health-limits';
import type { ClickTrigger, Trigger } from '../shared/trigger';
import { clockOf, sliceEnd, whenIdle, type IdleDeadline } from './idle';
import { report } from './safe';

/** After the page's `load`, wait this long before checking: real pages keep rendering after it. */
export const HEALTH_SETTLE_MS = 2000;
/**
 * Checks per sampled page view stop being started once this much time was spent on them (the
 * target is ≤ 5 ms per page view, p95; the check started last may run past it).
 */
export const HEALTH_BUDGET_MS = 2;
/** A single check that needs more than this (over all its slices) is dropped and reports nothing. */
export const MAX_CHECK_MS = 250;
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
  /** Replaceable for tests; `Math.random` otherwise (the sampling and the order of the checks). */
  random?: () => number;
  /** Replaceable for tests; `performance.now` otherwise. */
  now?: () => number;
}

/** Shuffles `items` in place (Fisher–Yates) with `random`. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Selector health for one page view (issue 9): sampled at `rate`, once the page has loaded and
 * settled, checks in idle time how the click definitions whose URL rule covers the page find
 * their element(s), and sends one report.
 *
 * The work per page view is bounded: the definitions are checked in a random order, and no check
 * is started once `HEALTH_BUDGET_MS` were spent. A started check is never stopped for being slow:
 * it is continued in the next idle slice (`MatchWork` remembers what it did) until it finishes, so
 * whether a definition is checked on a page view does not depend on its own outcome — a broken
 * definition (nothing found: the expensive fingerprint search runs) is as likely to be checked as
 * a working one, and the server's counts stay unbiased samples. Each definition is checked on
 * about budget ÷ (number of definitions × cost of a check) of the sampled page views. Only a check
 * that alone exceeds `MAX_CHECK_MS`, or whose page changed between two of its slices, is dropped —
 * and reports nothing (not `none`). No slice runs longer than `MAX_SLICE_MS`: never a long task.
 * A navigation before the checks finish cancels them (the report would mix two pages). Returns a
 * function that cancels the pending checks.
 */
export function checkHealthLater(win: Window, options: HealthOptions): () => void {
  let cancelled = false;
  const random = options.random ?? Math.random;
  if (!(options.rate > 0) || random() >= options.rate) return () => undefined;
  const href = win.location.href;
  const doc = win.document;
  const now = options.now ?? clockOf(win);

  const run = () => {
    if (cancelled) return;
    const order = shuffle(
      options.definitions().filter((definition) => definition.trigger.kind === 'click'),
      random,
    );
    const checks: HealthReport['checks'] = [];
    let next = 0;
    let spent = 0;
    /** The check in progress, continued in the next slice. */
    let current: { definition: HealthDefinition; work: MatchWork; spent: number } | undefined;
    // A check continued in a later slice is valid only if the page did not change in between.
    let changed = false;
    const Observer = (win as Window & typeof globalThis).MutationObserver;
    const observer = typeof Observer === 'function' ? new Observer(() => (changed = true)) : undefined;

    const slice = (deadline: IdleDeadline) => {
      observer?.disconnect();
      if (cancelled || win.location.href !== href) return;
      if (changed) current = undefined; // dropped: its page changed under it
      changed = false;
      const end = sliceEnd(deadline, now());
      for (;;) {
        if (!current) {
          const definition = order[next++];
          if (!definition || spent >= HEALTH_BUDGET_MS) break;
          current = { definition, work: new MatchWork(now), spent: 0 };
        }
        const { definition, work } = current;
        work.deadline = Math.min(end, now() + MAX_CHECK_MS - current.spent);
        const from = now();
        let done = true;
        try {
          const signal = checkTriggerHealth(definition.trigger as ClickTrigger, doc, href, options.find, work);
          if (signal) checks.push({ eventName: definition.fullyQualifiedName, signal });
        } catch (error) {
          if (error === OUT_OF_TIME) done = current.spent + (now() - from) >= MAX_CHECK_MS;
          else report(error); // one definition that cannot be evaluated is left out of the report
        }
        const cost = now() - from;
        spent += cost;
        current.spent += cost;
        if (done) current = undefined;
        else break; // the slice is over: continue this check in the next one
      }
      if (current || (next < order.length && spent < HEALTH_BUDGET_MS)) {
        observer?.observe(doc, { subtree: true, childList: true, attributes: true, characterData: true });
        whenIdle(win, slice);
      } else if (checks.length > 0)
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
