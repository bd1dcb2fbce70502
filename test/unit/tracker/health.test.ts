import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findMatches, type MatchFinder } from '../../../lib/matcher';
import { prng } from '../../../lib/redeploys/random';
import type { ClickTrigger, HealthReport } from '../../../lib/shared';
import {
  checkHealthLater,
  HEALTH_BUDGET_MS,
  HEALTH_SETTLE_MS,
  MAX_CHECK_MS,
  type HealthDefinition,
} from '../../../lib/tracker/health';

const PAGE = 'https://shop.example.com/pricing';
const opened: HappyWindow[] = [];
afterEach(async () => {
  for (const happy of opened.splice(0)) await happy.happyDOM.close();
});

/**
 * A page (real happy-dom DOM) whose timers, load event and idle callbacks the test runs by hand;
 * each idle callback gets `idleMs` of idle time, spent by the checks through `spend`.
 */
function page(options: { readyState?: DocumentReadyState; idle?: boolean } = {}) {
  const happy = new HappyWindow({ url: PAGE });
  opened.push(happy);
  happy.document.body.innerHTML = `<button id="buy" class="cta">Buy</button><a href="/plans" id="plans">Plans</a>`;
  const timers: { fn: () => void; ms: number }[] = [];
  const idles: ((deadline: { timeRemaining(): number }) => void)[] = [];
  const load: (() => void)[] = [];
  let clock = 0;
  let readyState = options.readyState ?? 'complete';
  const win = {
    location: happy.location,
    document: new Proxy(happy.document, {
      get: (target, key): unknown => (key === 'readyState' ? readyState : Reflect.get(target, key, target)),
    }),
    setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms }),
    addEventListener: (type: string, fn: () => void) => type === 'load' && load.push(fn),
    MutationObserver: happy.MutationObserver,
    ...(options.idle === false ? {} : { requestIdleCallback: (fn: (typeof idles)[number]) => idles.push(fn) }),
  };
  return {
    win: win as unknown as Window,
    doc: happy.document as unknown as Document,
    happy,
    timers,
    idles,
    loaded: () => {
      readyState = 'complete';
      load.splice(0).forEach((fn) => fn());
    },
    /** Runs the next idle callback with `idleMs` of idle time; returns how long it ran on the page's clock. */
    idle: (idleMs: number) => {
      const start = clock;
      idles.shift()!({ timeRemaining: () => Math.max(0, idleMs - (clock - start)) });
      return clock - start;
    },
    tick: (ms: number) => {
      clock += ms;
    },
    /** The page's clock (`performance.now` for the checks): only `tick` advances it. */
    now: () => clock,
    runTimers: () => timers.splice(0).forEach(({ fn }) => fn()),
  };
}

const click = (
  name: string,
  selector: string,
  tag: string,
  url: ClickTrigger['url'] = { match: 'any' },
  fingerprint: { text?: string; href?: string } = {},
): HealthDefinition => ({
  fullyQualifiedName: `pe1_${name}`,
  trigger: {
    kind: 'click',
    url,
    element: {
      mode: 'unique',
      selector,
      quality: 'good',
      reasons: [],
      matchCount: 1,
      alternatives: [],
      path: [],
      fingerprint: { tag, classes: [], attributes: {}, ancestors: [], ...fingerprint },
    },
  } satisfies ClickTrigger,
});

describe('checkHealthLater', () => {
  it('checks nothing on a page view outside the sample', () => {
    const p = page();
    const send = vi.fn();
    const definitions = vi.fn(() => [click('buy', '#buy', 'button')]);
    checkHealthLater(p.win, { rate: 0.1, random: () => 0.1, definitions, find: (t) => findMatches(t, p.doc), send });
    checkHealthLater(p.win, { rate: 0, random: () => 0, definitions, find: (t) => findMatches(t, p.doc), send });
    expect(p.timers).toEqual([]);
    expect(definitions).not.toHaveBeenCalled();
  });

  it('waits for the load event and the settle delay, then reports every click definition under its URL rule', () => {
    const p = page({ readyState: 'loading' });
    const reports: HealthReport[] = [];
    const find = vi.fn((trigger: ClickTrigger['element']) => findMatches(trigger, p.doc));
    checkHealthLater(p.win, {
      rate: 0.1,
      random: () => 0.05,
      definitions: () => [
        click('buy', '#buy', 'button'),
        click('plans', '#gone', 'a', { match: 'any' }, { text: 'Plans', href: '/plans' }),
        click('cart', '#cart', 'button'),
        click('checkout', '#checkout', 'button', { match: 'any' }, { text: 'Checkout' }),
        click('elsewhere', '#buy', 'button', { match: 'path', value: '/checkout' }),
        { fullyQualifiedName: 'pe1_viewed', trigger: { kind: 'pageview', url: { match: 'any' } } },
      ],
      find,
      now: p.now,
      send: (report) => reports.push(report),
    });
    expect(p.timers).toEqual([]);
    p.loaded();
    expect(p.timers.map((t) => t.ms)).toEqual([HEALTH_SETTLE_MS]);
    expect(find).not.toHaveBeenCalled();
    // Rendered late, as real pages do: the checks see it since they run after the page settled.
    p.happy.document.body.insertAdjacentHTML('beforeend', '<button id="cart">Cart</button>');
    p.runTimers();
    p.idle(50);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.path).toBe('/pricing');
    // In a random order (checks cost nothing on this clock, so the budget allows them all).
    expect(reports[0]!.checks).toHaveLength(4);
    expect(reports[0]!.checks).toEqual(
      expect.arrayContaining([
        { eventName: 'pe1_buy', signal: 'selector' },
        { eventName: 'pe1_plans', signal: 'fingerprint' },
        { eventName: 'pe1_cart', signal: 'selector' },
        { eventName: 'pe1_checkout', signal: 'none' },
      ]),
    );
    expect(find).toHaveBeenCalledTimes(4); // through the tracker's finder (its match cache)
  });

  it('stops starting checks once the budget is spent, in a random order, and sends once at the end', () => {
    const p = page();
    const reports: HealthReport[] = [];
    const definitions = Array.from({ length: 10 }, (_, i) => click(`b${i}`, '#buy', 'button'));
    const random = prng(7);
    const checked = new Set<string>();
    for (let view = 0; view < 20; view++) {
      checkHealthLater(p.win, {
        rate: 1,
        random,
        now: p.now,
        definitions: () => definitions,
        find: costly(p, () => 1), // 1 ms each
        send: (report) => reports.push(report),
      });
      p.runTimers();
      while (p.idles.length > 0) p.idle(50);
      expect(reports).toHaveLength(view + 1);
      // 1 ms per check: started at 0, 1 and 2 ms spent; none at the budget of 3 ms.
      expect(reports[view]!.checks).toHaveLength(HEALTH_BUDGET_MS);
      for (const { eventName } of reports[view]!.checks) checked.add(eventName);
    }
    expect(checked.size).toBe(10); // a random subset each time, not always the first three
  });

  it('continues a started check in the next idle slice, each slice short (no long task)', () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      now: p.now,
      definitions: () => [click('slow', '#buy', 'button')],
      find: costly(p, () => 23),
      send,
    });
    p.runTimers();
    const slices: number[] = [];
    while (p.idles.length > 0) slices.push(p.idle(50));
    expect(slices.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...slices)).toBeLessThanOrEqual(6); // 5 ms, plus the one unit started at its end
    expect(send.mock.calls.flat()).toEqual([
      { path: '/pricing', checks: [{ eventName: 'pe1_slow', signal: 'selector' }] },
    ]);
  });

  it('drops a check whose page changed between its slices: it reports nothing, not none', async () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      now: p.now,
      definitions: () => [click('slow', '#buy', 'button')],
      find: costly(
        p,
        () => 23,
        () => [],
      ),
      send,
    });
    p.runTimers();
    p.idle(50);
    p.happy.document.body.insertAdjacentHTML('beforeend', '<p>late</p>');
    await new Promise((resolve) => setTimeout(resolve, 0)); // the mutation records are delivered
    while (p.idles.length > 0) p.idle(50);
    expect(send).not.toHaveBeenCalled();
  });

  it(`drops a check that needs more than ${MAX_CHECK_MS} ms: it reports nothing`, () => {
    const q = page();
    const quiet = vi.fn();
    checkHealthLater(q.win, {
      rate: 1,
      now: q.now,
      definitions: () => [click('endless', '#buy', 'button')],
      find: costly(
        q,
        () => MAX_CHECK_MS + 20,
        () => [],
      ),
      send: quiet,
    });
    q.runTimers();
    let slices = 0;
    while (q.idles.length > 0) {
      q.idle(50);
      slices++;
    }
    expect(slices).toBeGreaterThan(MAX_CHECK_MS / 6);
    expect(quiet).not.toHaveBeenCalled(); // not reported as `none`: the check never finished
  });

  it('reports a broken definition (the expensive check) about as often as a working one, within a budget per page view', () => {
    const p = page();
    const button = p.doc.getElementById('buy')!;
    // 100 definitions of which one is broken: nothing found, so its check costs 20 ms (the
    // fingerprint search on a big page) where a working one costs 1 ms.
    const definitions = Array.from({ length: 100 }, (_, i) =>
      click(`d${i}`, '#buy', 'button', { match: 'any' }, { text: `${i}` }),
    );
    const broken = (trigger: ClickTrigger['element']) => trigger.fingerprint.text === '42';
    const counts = new Map<string, string[]>();
    const perView: number[] = [];
    const random = prng(2026);
    const views = 800;
    for (let view = 0; view < views; view++) {
      const start = p.now();
      checkHealthLater(p.win, {
        rate: 1,
        random,
        now: p.now,
        definitions: () => definitions,
        find: costly(
          p,
          (trigger) => (broken(trigger) ? 20 : 1),
          (trigger) => (broken(trigger) ? [] : [button]),
        ),
        send: (report) => {
          for (const { eventName, signal } of report.checks)
            counts.set(eventName, [...(counts.get(eventName) ?? []), signal]);
        },
      });
      p.runTimers();
      while (p.idles.length > 0) p.idle(50);
      perView.push(p.now() - start);
    }
    const brokenSignals = counts.get('pe1_d42') ?? [];
    const working = definitions.filter((_, i) => i !== 42).map((d) => counts.get(d.fullyQualifiedName)?.length ?? 0);
    const mean = working.reduce((sum, n) => sum + n, 0) / working.length;
    // ~2 checks per page view of 100 definitions (the 2 ms budget): each on ~2% of sampled page views.
    expect(mean).toBeGreaterThan(views * 0.015);
    expect(brokenSignals.length).toBeGreaterThan(mean / 2);
    expect(brokenSignals.length).toBeLessThan(mean * 2);
    expect(new Set(brokenSignals)).toEqual(new Set(['none']));
    // The budget, plus at most the one check started last.
    expect(Math.max(...perView)).toBeLessThanOrEqual(HEALTH_BUDGET_MS - 1 + 20);
    const sorted = [...perView].sort((a, b) => a - b);
    expect(sorted[Math.floor(views * 0.9)]).toBeLessThanOrEqual(HEALTH_BUDGET_MS);
  });

  it('makes progress with no idle time at all (a short step per callback)', () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      now: p.now,
      definitions: () => [click('a', '#buy', 'button')],
      find: costly(p, () => 4),
      send,
    });
    p.runTimers();
    const slices: number[] = [];
    while (p.idles.length > 0) slices.push(p.idle(0));
    expect(slices.length).toBeGreaterThan(1);
    expect(Math.max(...slices)).toBeLessThanOrEqual(2);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('uses a short timer with a small budget where there is no requestIdleCallback', () => {
    const p = page({ idle: false });
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      definitions: () => [click('buy', '#buy', 'button')],
      find: (t) => findMatches(t, p.doc),
      send,
    });
    p.runTimers(); // settle
    expect(p.timers).toHaveLength(1);
    p.runTimers(); // the idle stand-in
    expect(send).toHaveBeenCalledWith({ path: '/pricing', checks: [{ eventName: 'pe1_buy', signal: 'selector' }] });
  });

  it('leaves out a definition that cannot be evaluated, and sends nothing when no check remains', () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      now: p.now,
      definitions: () => [
        click('broken', '#buy', 'button', { match: 'path' } as ClickTrigger['url']),
        click('buy', '#buy', 'button'),
      ],
      find: (t) => findMatches(t, p.doc),
      send,
    });
    p.runTimers();
    p.idle(50);
    expect(send.mock.calls.flat()).toEqual([
      { path: '/pricing', checks: [{ eventName: 'pe1_buy', signal: 'selector' }] },
    ]);

    const none = page();
    const quiet = vi.fn();
    checkHealthLater(none.win, {
      rate: 1,
      now: none.now,
      definitions: () => [click('elsewhere', '#buy', 'button', { match: 'path', value: '/checkout' })],
      find: (t) => findMatches(t, none.doc),
      send: quiet,
    });
    none.runTimers();
    none.idle(50);
    expect(quiet).not.toHaveBeenCalled();
  });

  it('drops the checks of a page left before they finished (SPA navigation or cancel)', () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      now: p.now,
      definitions: () => [click('a', '#buy', 'button'), click('b', '#buy', 'button')],
      find: costly(p, () => 2),
      send,
    });
    p.runTimers();
    p.idle(0);
    p.happy.history.pushState({}, '', '/checkout');
    while (p.idles.length > 0) p.idle(50);
    expect(send).not.toHaveBeenCalled();

    const q = page();
    const cancel = checkHealthLater(q.win, {
      rate: 1,
      now: q.now,
      definitions: () => [click('a', '#buy', 'button')],
      find: (t) => findMatches(t, q.doc),
      send,
    });
    cancel();
    q.runTimers();
    expect(q.idles).toEqual([]);
  });
});

/**
 * A finder whose check costs `units(trigger)` ms of the page's clock, one 1-ms unit at a time,
 * resumable exactly as `findMatches` with a `MatchWork` is (it remembers the units it did);
 * then it finds `found(trigger)` (the page's `#buy` by default).
 */
function costly(
  p: ReturnType<typeof page>,
  units: (trigger: ClickTrigger['element']) => number,
  found: (trigger: ClickTrigger['element']) => Element[] = () => [p.doc.getElementById('buy')!],
): MatchFinder {
  return (trigger, work) => {
    for (let unit = 0; unit < units(trigger); unit++) {
      const key = `unit ${unit}`;
      if (work?.queries.has(key)) continue;
      work?.spend();
      p.tick(1);
      work?.queries.set(key, []);
    }
    return found(trigger);
  };
}
