// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBody, TrackerConfig } from '../../../lib/shared';

type TrackerWindow = Window & { clicktrail?: { version: string; track: unknown }; _ctq?: unknown };
const win = window as TrackerWindow;
let sent: CollectBody[] = [];
let fetchMock: ReturnType<typeof vi.fn>;

const config: TrackerConfig = {
  portalId: 7,
  definitions: [],
  privacy: { consentMode: 'required', respectDoNotTrack: false },
};

/** Loads the tracker's entry point as the page's `<script data-portal-id=…>` (a fresh module each time). */
async function loadTracker(dataset: Record<string, string>) {
  const script = document.createElement('script');
  script.src = 'https://ct.example/tracker.js';
  Object.assign(script.dataset, dataset);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  vi.resetModules();
  await import('../../../lib/tracker/index');
}

beforeEach(() => {
  sent = [];
  delete win.clicktrail;
  delete win._ctq;
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]!.trim();
    if (name) document.cookie = `${name}=; max-age=0; path=/`;
  }
  fetchMock = vi.fn((url: string, init?: RequestInit) => {
    if (String(url).endsWith('/config')) return Promise.resolve(new Response(JSON.stringify(config)));
    sent.push(JSON.parse(init?.body as string) as CollectBody);
    return Promise.resolve(new Response('{}'));
  });
  win.fetch = fetchMock as unknown as typeof fetch;
});
afterEach(() => vi.restoreAllMocks());

describe('the tracker script (lib/tracker/index.ts)', () => {
  it('runs the commands queued in _ctq before it loaded, in order, then those pushed later', async () => {
    win._ctq = [
      ['trackCustomBehavioralEvent', { name: 'early', properties: { plan: 'pro' } }],
      ['identify', { email: 'ada@example.com' }],
      ['consent', { analytics: true }],
    ];
    await loadTracker({ portalId: '7' });
    expect(win.clicktrail?.version).toBe('dev');
    await vi.waitFor(() => expect(sent).toHaveLength(1), { timeout: 3000 });
    expect(sent[0]).toMatchObject({
      email: 'ada@example.com',
      events: [{ eventName: 'pe7_early', properties: { plan: 'pro' } }],
    });
    expect(sent[0]!.utk).toBeTruthy();

    (win._ctq as { push(command: unknown): void }).push(['trackCustomBehavioralEvent', { name: 'later' }]);
    // A command it does not know, or with bad arguments, is ignored without throwing into the page.
    expect(() => (win._ctq as { push(command: unknown): void }).push(['explode', {}])).not.toThrow();
    expect(() => (win._ctq as { push(command: unknown): void }).push(['consent', { analytics: 'yes' }])).not.toThrow();
    await vi.waitFor(
      () =>
        expect(sent.flatMap((b) => b.events as { eventName: string }[]).map((e) => e.eventName)).toContain('pe7_later'),
      {
        timeout: 3000,
      },
    );
  });

  it('keeps the first tracker when the script is included twice', async () => {
    await loadTracker({ portalId: '7' });
    const first = win.clicktrail;
    await loadTracker({ portalId: '8' });
    expect(win.clicktrail).toBe(first);
  });

  it('starts nothing without a valid data-portal-id, and says why in debug mode', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await loadTracker({ portalId: 'abc', debug: 'true' });
    expect(win.clicktrail).toBeUndefined();
    expect(String(warn.mock.calls[0]?.[1])).toContain('data-portal-id');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
