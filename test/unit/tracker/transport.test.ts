import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBody, CollectEvent } from '../../../lib/shared';
import type { OfflineStore } from '../../../lib/tracker/offline';
import { Transport } from '../../../lib/tracker/transport';

/** The parts of a window the transport uses; `fetch` records what would go over the network. */
function fakeWindow() {
  const bodies: CollectBody[] = [];
  const win = {
    addEventListener: () => undefined,
    document: { addEventListener: () => undefined, visibilityState: 'visible' },
    navigator: {},
    fetch: vi.fn((_url: string, init: { body: string }) => {
      bodies.push(JSON.parse(init.body) as CollectBody);
      return Promise.resolve({ status: 200 });
    }),
  };
  return { win: win as unknown as Window, bodies };
}

let next = 0;
const event = (): CollectEvent => ({
  eventName: 'pe1_viewed',
  occurredAt: new Date().toISOString(),
  uuid: `uuid-${++next}`,
});

describe('Transport under the consent policy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds completions in memory until the policy is known, then sends them with the token', () => {
    const { win, bodies } = fakeWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    transport.email = 'ada@example.com';
    transport.enqueue(event());
    transport.enqueue(event(), true); // even an urgent click waits
    vi.advanceTimersByTime(5000);
    expect(bodies).toEqual([]);
    transport.setSending('identified', 'visitorTokenAAAAAAAA1');
    vi.advanceTimersByTime(10);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ utk: 'visitorTokenAAAAAAAA1', email: 'ada@example.com' });
    expect(bodies[0]!.events).toHaveLength(2);
  });

  it('sends anonymous completions with neither token nor email', () => {
    const { win, bodies } = fakeWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    transport.email = 'ada@example.com';
    transport.setSending('anonymous', 'ignoredTokenAAAAAAAA1');
    transport.enqueue(event());
    vi.advanceTimersByTime(1000);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toHaveProperty('utk');
    expect(bodies[0]).not.toHaveProperty('email');
  });

  it('drops what it holds and everything after when nothing may be sent', () => {
    const { win, bodies } = fakeWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    transport.enqueue(event());
    transport.setSending('nothing');
    transport.enqueue(event());
    transport.flush(true);
    vi.advanceTimersByTime(5000);
    expect(bodies).toEqual([]);
    // Consent later: only what happens from then on is sent.
    transport.setSending('identified', 'visitorTokenAAAAAAAA1');
    transport.enqueue(event());
    vi.advanceTimersByTime(1000);
    expect(bodies.flatMap((body) => body.events)).toHaveLength(1);
  });

  it('throws nothing into a page whose JSON.stringify is broken, and sends what waited once it works', () => {
    const { win, bodies } = fakeWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    transport.setSending('anonymous');
    transport.enqueue(event());
    const stringify = vi.spyOn(JSON, 'stringify').mockImplementation(() => {
      throw new Error('no JSON today');
    });
    try {
      expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
      expect(() => transport.flush(true)).not.toThrow();
    } finally {
      stringify.mockRestore();
    }
    expect(bodies).toEqual([]);
    transport.enqueue(event());
    vi.advanceTimersByTime(1000);
    expect(bodies.flatMap((body) => body.events)).toHaveLength(2);
  });

  it('forgets unsent completions on clear() (revocation)', () => {
    const { win, bodies } = fakeWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    transport.setSending('identified', 'visitorTokenAAAAAAAA1');
    transport.enqueue(event());
    transport.clear();
    vi.advanceTimersByTime(5000);
    expect(bodies).toEqual([]);
  });
});

/** A window whose network the test controls: each request waits for `respond`, events can be fired. */
function controlledWindow() {
  const requests: { body: CollectBody; respond: (status: number | Error) => Promise<void> }[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const beacons: CollectBody[] = [];
  const nav = {
    onLine: true,
    sendBeacon: (_url: string, body: string) => beacons.push(JSON.parse(body) as CollectBody) > 0,
  };
  const win = {
    addEventListener: (type: string, listener: () => void) => (listeners[type] ??= []).push(listener),
    document: { addEventListener: () => undefined, visibilityState: 'visible' },
    navigator: nav,
    fetch: (_url: string, init: { body: string }) =>
      new Promise((resolve, reject) => {
        requests.push({
          body: JSON.parse(init.body) as CollectBody,
          respond: async (status) => {
            if (status instanceof Error) reject(status);
            else resolve({ status });
            await vi.advanceTimersByTimeAsync(0);
          },
        });
      }),
  };
  const fire = (type: string) => listeners[type]?.forEach((listener) => listener());
  return { win: win as unknown as Window, requests, beacons, nav, fire };
}

/** An offline store in memory that records what it holds. */
function memoryStore(initial: CollectEvent[] = []): OfflineStore & { held: CollectEvent[] } {
  const store = {
    held: [...initial],
    load: () => [...store.held],
    add: (events: readonly CollectEvent[]) => {
      for (const e of events) if (!store.held.some((h) => h.uuid === e.uuid)) store.held.push(e);
    },
    remove: (events: readonly CollectEvent[]) => {
      store.held = store.held.filter((h) => !events.some((e) => e.uuid === h.uuid));
    },
    clear: () => {
      store.held = [];
    },
  };
  return store;
}
const uuids = (events: readonly unknown[] | undefined) => (events as CollectEvent[] | undefined)?.map((e) => e.uuid);
const TOKEN = 'visitorTokenAAAAAAAA1';

describe('Transport delivery when the network or the server fails', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a click right after its handlers with fetch keepalive, and forgets it once acknowledged', async () => {
    const { win, requests } = controlledWindow();
    const store = memoryStore();
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('identified', TOKEN);
    const pageView = event();
    transport.enqueue(pageView); // would wait for the batch delay
    const click = event();
    transport.enqueue(click, true);
    // Not inside the click's handlers (they stay cheap), but in the next task, with what waited.
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    expect(uuids(requests[0]!.body.events)).toEqual([pageView.uuid, click.uuid]);
    await requests[0]!.respond(200);
    expect(store.held).toEqual([]);
  });

  it('keeps failed completions on the device and retries them with backoff until the server takes them', async () => {
    const { win, requests } = controlledWindow();
    const store = memoryStore();
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('identified', TOKEN);
    const click = event();
    transport.enqueue(click, true);
    await vi.advanceTimersByTimeAsync(0);
    await requests[0]!.respond(503);
    expect(uuids(store.held)).toEqual([click.uuid]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await requests[1]!.respond(new TypeError('Failed to fetch'));
    // The next try waits twice as long.
    await vi.advanceTimersByTimeAsync(9999);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(uuids(requests[2]!.body.events)).toEqual([click.uuid]);
    await requests[2]!.respond(200);
    expect(store.held).toEqual([]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(requests).toHaveLength(3);
  });

  it('does not retry what the server refused for good (4xx)', async () => {
    const { win, requests } = controlledWindow();
    const store = memoryStore();
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('identified', TOKEN);
    transport.enqueue(event(), true);
    await vi.advanceTimersByTimeAsync(0);
    await requests[0]!.respond(403);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(requests).toHaveLength(1);
    expect(store.held).toEqual([]);
  });

  it('while offline sends nothing, keeps completions on the device and sends them when back online', async () => {
    const { win, requests, nav, fire } = controlledWindow();
    const store = memoryStore();
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('identified', TOKEN);
    nav.onLine = false;
    const [a, b] = [event(), event()];
    transport.enqueue(a, true);
    transport.enqueue(b);
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests).toEqual([]);
    expect(uuids(store.held)).toEqual([a.uuid, b.uuid]);
    nav.onLine = true;
    fire('online');
    expect(uuids(requests[0]!.body.events)).toEqual([a.uuid, b.uuid]);
    await requests[0]!.respond(200);
    expect(store.held).toEqual([]);
  });

  it('sends what earlier pages left unsent once the visitor may be identified, and each uuid once', async () => {
    const { win, requests } = controlledWindow();
    const old = event();
    const store = memoryStore([old]);
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    const pageView = event();
    transport.enqueue(pageView);
    expect(requests).toEqual([]); // consent unknown yet: not even the stored ones go out
    transport.setSending('identified', TOKEN);
    transport.setSending('identified', TOKEN); // a config refresh
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    expect(uuids(requests[0]!.body.events)).toEqual([old.uuid, pageView.uuid]);
    expect(requests[0]!.body.utk).toBe(TOKEN);
  });

  it('keeps what is unacknowledged when the page goes away, and beacons what is queued', () => {
    const { win, requests, beacons, fire } = controlledWindow();
    const store = memoryStore();
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('identified', TOKEN);
    const click = event();
    transport.enqueue(click, true);
    vi.advanceTimersByTime(0); // in flight, no answer yet (a link that navigates)
    const pageView = event();
    transport.enqueue(pageView); // waiting for the batch delay
    fire('pagehide');
    expect(uuids(beacons[0]!.events)).toEqual([pageView.uuid]);
    // Either may have arrived or not: the next page sends both again, the server keeps each uuid once.
    expect(uuids(store.held)?.sort()).toEqual([click.uuid, pageView.uuid].sort());
    expect(requests).toHaveLength(1);
  });

  it('stores nothing on the device for anonymous completions and when nothing may be sent, and clears what was there', async () => {
    const { win, requests, nav } = controlledWindow();
    const store = memoryStore([event()]);
    const transport = new Transport('https://t.example/t/1/collect', win, store);
    transport.setSending('anonymous');
    expect(store.held).toEqual([]);
    nav.onLine = false;
    transport.enqueue(event(), true);
    nav.onLine = true;
    transport.enqueue(event(), true);
    await vi.advanceTimersByTimeAsync(0);
    await requests[0]!.respond(500);
    expect(store.held).toEqual([]);

    const revoked = memoryStore([event()]);
    const other = new Transport('https://t.example/t/1/collect', controlledWindow().win, revoked);
    other.setSending('nothing');
    expect(revoked.held).toEqual([]);
  });

  it('sends a health report with the next request, alone when no completion waits, never when nothing may be sent', async () => {
    const { win, requests } = controlledWindow();
    const transport = new Transport('https://t.example/t/1/collect', win);
    const health = { path: '/pricing', checks: [{ eventName: 'pe1_buy', signal: 'selector' as const }] };
    transport.reportHealth(health);
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests).toEqual([]); // held like completions until the consent policy is known
    transport.setSending('anonymous');
    await vi.advanceTimersByTimeAsync(0);
    expect(requests[0]!.body).toEqual({ events: [], health });

    const click = event();
    transport.reportHealth(health);
    transport.enqueue(click, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests[1]!.body).toEqual({ events: [click], health });

    transport.setSending('nothing');
    transport.reportHealth(health);
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests).toHaveLength(2);
  });
});
