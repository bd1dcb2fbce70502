import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollectEvent } from '../../../lib/shared';
import { OFFLINE_MAX_CHARS, OFFLINE_MAX_EVENTS, offlineStore } from '../../../lib/tracker/offline';

const KEY = 'clicktrail:unsent:7';
const opened: HappyWindow[] = [];
afterEach(async () => {
  for (const happy of opened.splice(0)) await happy.happyDOM.close();
});
/** A page of the site with a real (happy-dom) localStorage. */
function site(): Window {
  const happy = new HappyWindow({ url: 'https://shop.example.com/' });
  opened.push(happy);
  return happy as unknown as Window;
}

let next = 0;
const event = (properties: Record<string, string> = {}): CollectEvent => ({
  eventName: 'pe7_buy_clicked',
  occurredAt: '2025-01-01T00:00:00.000Z',
  uuid: `uuid-${++next}`,
  properties,
});

describe('offlineStore', () => {
  it('keeps completions across pages of the origin until they are acknowledged', () => {
    const win = site();
    const [a, b, c] = [event(), event(), event()];
    offlineStore(win, KEY).add([a, b]);
    offlineStore(win, KEY).add([b, c]); // another page: b once
    const later = offlineStore(win, KEY);
    expect(later.load().map((e) => e.uuid)).toEqual([a.uuid, b.uuid, c.uuid]);
    later.remove([a, c]);
    expect(later.load().map((e) => e.uuid)).toEqual([b.uuid]);
    later.remove([b]);
    // Empty: the key is removed, the site's storage is left as it was.
    expect(win.localStorage.length).toBe(0);
  });

  it('touches storage on acknowledgements only once it holds something', () => {
    const win = site();
    win.localStorage.setItem(KEY, 'not read');
    const store = offlineStore(win, KEY);
    store.remove([event()]);
    expect(win.localStorage.getItem(KEY)).toBe('not read');
  });

  it('keeps the newest completions within the count and size bounds', () => {
    const win = site();
    const store = offlineStore(win, KEY);
    const many = Array.from({ length: OFFLINE_MAX_EVENTS + 20 }, () => event());
    store.add(many);
    const kept = store.load();
    expect(kept).toHaveLength(OFFLINE_MAX_EVENTS);
    expect(kept.at(-1)!.uuid).toBe(many.at(-1)!.uuid);

    store.clear();
    const big = Array.from({ length: 100 }, () => event({ hs_element_text: 'x'.repeat(2000) }));
    store.add(big);
    expect(win.localStorage.getItem(KEY)!.length).toBeLessThanOrEqual(OFFLINE_MAX_CHARS);
    expect(store.load().at(-1)!.uuid).toBe(big.at(-1)!.uuid);
  });

  it('ignores what is not a list of completions (another script wrote the key)', () => {
    const win = site();
    win.localStorage.setItem(KEY, '{"not":"a list"}');
    expect(offlineStore(win, KEY).load()).toEqual([]);
    win.localStorage.setItem(KEY, '[1, null, {"uuid": "u1"}, {"uuid": "u2", "eventName": "pe7_x"}]');
    expect(offlineStore(win, KEY).load()).toEqual([{ uuid: 'u2', eventName: 'pe7_x' }]);
    win.localStorage.setItem(KEY, '[broken');
    expect(offlineStore(win, KEY).load()).toEqual([]);
  });

  it.each([
    [
      'storage access throws (sandboxed frame, blocked cookies)',
      () => {
        throw new DOMException('denied', 'SecurityError');
      },
    ],
    [
      'storage is full',
      () => ({
        length: 0,
        getItem: () => null,
        setItem: () => {
          throw new DOMException('full', 'QuotaExceededError');
        },
        removeItem: () => undefined,
      }),
    ],
    ['storage is missing', () => undefined],
  ])('never throws when %s', (_name, localStorage) => {
    const win = {
      get localStorage() {
        return localStorage();
      },
    } as unknown as Window;
    const store = offlineStore(win, KEY);
    expect(() => {
      store.add([event()]);
      store.remove([event()]);
      store.clear();
    }).not.toThrow();
    expect(store.load()).toEqual([]);
  });
});
