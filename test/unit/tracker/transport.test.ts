import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBody, CollectEvent } from '../../../lib/shared';
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
