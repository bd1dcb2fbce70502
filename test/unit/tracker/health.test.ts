import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findMatches } from '../../../lib/matcher';
import type { ClickTrigger, HealthReport } from '../../../lib/shared';
import { checkHealthLater, HEALTH_SETTLE_MS, type HealthDefinition } from '../../../lib/tracker/health';

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
    /** Runs the next idle callback with `idleMs` of idle time; each check costs `perCheck` ms. */
    idle: (idleMs: number) => {
      const start = clock;
      idles.shift()!({ timeRemaining: () => Math.max(0, idleMs - (clock - start)) });
    },
    tick: (ms: number) => {
      clock += ms;
    },
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
    expect(reports).toEqual([
      {
        path: '/pricing',
        checks: [
          { eventName: 'pe1_buy', signal: 'selector' },
          { eventName: 'pe1_plans', signal: 'fingerprint' },
          { eventName: 'pe1_cart', signal: 'selector' },
          { eventName: 'pe1_checkout', signal: 'none' },
        ],
      },
    ]);
    expect(find).toHaveBeenCalledTimes(4); // through the tracker's finder (its match cache)
  });

  it('splits the checks across idle callbacks by the idle time left, and sends once at the end', () => {
    const p = page();
    const send = vi.fn();
    const definitions = Array.from({ length: 10 }, (_, i) => click(`b${i}`, '#buy', 'button'));
    checkHealthLater(p.win, {
      rate: 1,
      definitions: () => definitions,
      find: (trigger) => {
        p.tick(3); // each check costs 3 ms of the idle period
        return findMatches(trigger, p.doc);
      },
      send,
    });
    p.runTimers();
    let slices = 0;
    while (p.idles.length > 0) {
      p.idle(10);
      slices++;
    }
    // 10 ms of idle time and 3 ms per check: 3 checks a slice (stops under 2 ms left), 4 slices.
    expect(slices).toBe(4);
    expect(send).toHaveBeenCalledTimes(1);
    expect((send.mock.calls[0]![0] as HealthReport).checks).toHaveLength(10);
  });

  it('keeps every slice short even when the browser offers a long idle period (no long task)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const p = page();
      const send = vi.fn();
      const definitions = Array.from({ length: 10 }, (_, i) => click(`b${i}`, '#buy', 'button'));
      checkHealthLater(p.win, {
        rate: 1,
        definitions: () => definitions,
        find: (trigger) => {
          p.tick(3);
          vi.setSystemTime(Date.now() + 3); // each check costs 3 ms
          return findMatches(trigger, p.doc);
        },
        send,
      });
      p.runTimers();
      let slices = 0;
      while (p.idles.length > 0) {
        p.idle(50);
        slices++;
      }
      // 50 ms offered, but a slice stops once 8 ms are spent: 3 checks a slice, 4 slices.
      expect(slices).toBe(4);
      expect((send.mock.calls[0]![0] as HealthReport).checks).toHaveLength(10);
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes progress with no idle time at all (one check per callback)', () => {
    const p = page();
    const send = vi.fn();
    checkHealthLater(p.win, {
      rate: 1,
      definitions: () => [click('a', '#buy', 'button'), click('b', '#buy', 'button')],
      find: (t) => findMatches(t, p.doc),
      send,
    });
    p.runTimers();
    p.idle(0);
    expect(send).not.toHaveBeenCalled();
    p.idle(0);
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
    const options = {
      rate: 1,
      definitions: () => [click('a', '#buy', 'button'), click('b', '#buy', 'button')],
      find: (t: ClickTrigger['element']) => findMatches(t, p.doc),
      send,
    };
    checkHealthLater(p.win, options);
    p.runTimers();
    p.idle(0);
    p.happy.history.pushState({}, '', '/checkout');
    p.idle(50);
    expect(send).not.toHaveBeenCalled();

    const q = page();
    const cancel = checkHealthLater(q.win, { ...options, find: (t) => findMatches(t, q.doc) });
    cancel();
    q.runTimers();
    expect(q.idles).toEqual([]);
  });
});
