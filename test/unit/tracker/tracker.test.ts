import { Window as HappyWindow } from 'happy-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBody, TrackerConfig } from '../../../lib/shared';
import { PICKER_ACTIVE_ATTRIBUTE, PICKER_HOST_TAG } from '../../../lib/shared/picker-marker';
import { elementProperties, pageProperties, startTracker } from '../../../lib/tracker/tracker';

type Definition = TrackerConfig['definitions'][number];
const PORTAL = 7;

const element = (selector: string, tag: string, extra: Record<string, unknown> = {}) => ({
  mode: 'unique' as const,
  selector,
  quality: 'good' as const,
  reasons: [],
  matchCount: 1,
  alternatives: [],
  path: [],
  fingerprint: { tag, classes: [], attributes: {}, ancestors: [] },
  ...extra,
});
const definition = (name: string, trigger: Definition['trigger']): Definition => ({
  name,
  fullyQualifiedName: `pe${PORTAL}_${name}`,
  trigger,
});
const DEFINITIONS: Definition[] = [
  definition('pricing_viewed', { kind: 'pageview', url: { match: 'path', value: '/pricing' } }),
  definition('checkout_viewed', { kind: 'pageview', url: { match: 'path', value: '/checkout' } }),
  definition('buy_clicked', { kind: 'click', url: { match: 'any' }, element: element('#buy', 'button') }),
  definition('broken', { kind: 'click', url: { match: 'any' }, element: element('#buy[', 'button') }),
  definition('widget_clicked', {
    kind: 'click',
    url: { match: 'any' },
    element: element('button.inside', 'button', { path: [{ kind: 'shadow', host: 'chat-widget' }] }),
  }),
];

const opened: HappyWindow[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const happy of opened.splice(0)) await happy.happyDOM.close();
});
beforeEach(() => vi.useFakeTimers());

/**
 * A customer's page (happy-dom) whose network is the test's: `/config` answers `config`, every
 * collect request is recorded. Timers the tracker starts on the window run on vitest's clock.
 */
async function site(options: { config?: Partial<TrackerConfig>; url?: string } = {}) {
  const happy = new HappyWindow({
    url: options.url ?? 'https://shop.example.com/pricing?utm_source=news&utm_campaign=spring&id=3',
    settings: { navigator: { userAgent: 'Mozilla/5.0 test' } },
  });
  opened.push(happy);
  const win = happy as unknown as Window & { requestIdleCallback?: unknown };
  happy.document.title = 'Pricing';
  happy.document.body.innerHTML = `
    <main><button id="buy" class="cta  big"><span>Buy now</span></button>
    <a id="plans" href="/plans"><b>All plans</b></a><chat-widget></chat-widget></main>`;
  const host = happy.document.querySelector('chat-widget')!;
  host.attachShadow({ mode: 'open' }).innerHTML = '<button class="inside">Ask us</button>';
  const sent: CollectBody[] = [];
  const config: TrackerConfig = {
    portalId: PORTAL,
    definitions: DEFINITIONS,
    privacy: { consentMode: 'none', respectDoNotTrack: false },
    ...options.config,
  };
  win.fetch = vi.fn((url: string, init?: RequestInit) => {
    if (url.endsWith('/config')) return Promise.resolve(new Response(JSON.stringify(config)));
    sent.push(JSON.parse(init?.body as string) as CollectBody);
    return Promise.resolve(new Response('{}'));
  });
  Object.assign(win, {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    requestIdleCallback: (fn: (deadline: { timeRemaining(): number }) => void) =>
      setTimeout(() => fn({ timeRemaining: () => 10 }), 1),
  });
  const api = startTracker(win, { portalId: PORTAL, api: 'https://ct.example/' });
  await api.refresh();
  const clicks = () =>
    sent
      .flatMap((body) => body.events as { eventName: string; uuid: string; properties: Record<string, string> }[])
      .filter((e) => e.eventName.endsWith('_clicked'));
  const events = () =>
    sent.flatMap((body) => body.events as { eventName: string; uuid: string; properties: Record<string, string> }[]);
  const click = (el: Element) =>
    el.dispatchEvent(new happy.MouseEvent('click', { bubbles: true, composed: true }) as unknown as Event);
  return { happy, win, doc: happy.document as unknown as Document, api, sent, events, clicks, click };
}

describe('startTracker', () => {
  it('sends a page view with the default page properties, with the visitor token', async () => {
    const page = await site();
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.events().map((e) => e.eventName)).toEqual([`pe${PORTAL}_pricing_viewed`]);
    expect(page.events()[0]!.properties).toEqual({
      hs_url: 'https://shop.example.com/pricing?utm_source=news&utm_campaign=spring&id=3',
      hs_page_path: '/pricing',
      hs_page_title: 'Pricing',
      hs_language: page.win.navigator.language,
      hs_screen_width: String(page.win.screen.width),
      hs_screen_height: String(page.win.screen.height),
      hs_utm_source: 'news',
      hs_utm_campaign: 'spring',
    });
    expect(page.sent[0]!.utk).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a click right away with the clicked element’s text, id and classes; a broken definition does not stop it', async () => {
    const page = await site();
    page.click(page.doc.querySelector('#buy span')!);
    await vi.advanceTimersByTimeAsync(0); // sent right after the click's handlers
    expect(page.clicks().map((e) => e.eventName)).toEqual([`pe${PORTAL}_buy_clicked`]);
    expect(page.clicks()[0]!.properties).toMatchObject({
      hs_element_text: 'Buy now',
      hs_element_id: 'buy',
      hs_element_class: 'cta big',
      hs_page_path: '/pricing',
    });
  });

  it('hears clicks the site stops from propagating (its handler on the document or the element)', async () => {
    const page = await site();
    page.doc.addEventListener('click', (event) => event.stopPropagation(), { capture: true });
    page.doc.querySelector('#buy')!.addEventListener('click', (event) => event.stopImmediatePropagation());
    page.click(page.doc.querySelector('#buy')!);
    await vi.advanceTimersByTimeAsync(0); // sent right after the click's handlers
    expect(page.clicks().map((e) => e.eventName)).toEqual([`pe${PORTAL}_buy_clicked`]);
  });

  it('hears a click inside an open shadow root that the trigger reaches into', async () => {
    const page = await site();
    const inside = page.doc.querySelector('chat-widget')!.shadowRoot!.querySelector('button')!;
    page.click(inside);
    await vi.advanceTimersByTimeAsync(0); // sent right after the click's handlers
    expect(page.clicks()).toMatchObject([
      {
        eventName: `pe${PORTAL}_widget_clicked`,
        properties: { hs_element_text: 'Ask us', hs_element_class: 'inside' },
      },
    ]);
  });

  it('counts an SPA navigation (pushState) as a page view, once per URL', async () => {
    const page = await site();
    await vi.advanceTimersByTimeAsync(1000);
    page.win.history.pushState({}, '', '/checkout');
    page.win.history.replaceState({}, '', '/checkout');
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.events().map((e) => [e.eventName, e.properties.hs_page_path])).toEqual([
      [`pe${PORTAL}_pricing_viewed`, '/pricing'],
      [`pe${PORTAL}_checkout_viewed`, '/checkout'],
    ]);
  });

  it('ignores clicks while the Clicktrail picker is open on the page', async () => {
    const page = await site();
    const picker = page.doc.createElement(PICKER_HOST_TAG);
    picker.setAttribute(PICKER_ACTIVE_ATTRIBUTE, '');
    page.doc.body.append(picker);
    page.click(page.doc.querySelector('#buy')!);
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.events().map((e) => e.eventName)).toEqual([`pe${PORTAL}_pricing_viewed`]);
  });

  it('track() qualifies the name and truncates over-long properties; identify() adds the email', async () => {
    const page = await site();
    page.api.identify({ email: 'not an email' });
    page.api.track('signup', { Plan: 'pro', note: 'x'.repeat(300), nested: { no: 1 } });
    page.api.track('');
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.sent.at(-1)!.email).toBeUndefined();
    const signup = page.events().find((e) => e.eventName === `pe${PORTAL}_signup`)!;
    expect(signup.properties).toMatchObject({ plan: 'pro', hs_page_path: '/pricing' });
    expect(signup.properties.note).toHaveLength(256);
    expect(signup.properties).not.toHaveProperty('nested');

    page.api.identify({ email: ' ada@example.com ' });
    page.api.track('pe7_upgraded');
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.sent.at(-1)).toMatchObject({ email: 'ada@example.com', events: [{ eventName: 'pe7_upgraded' }] });
  });

  it('reports selector health at the portal’s sample rate, after the page settled', async () => {
    const page = await site({ config: { healthSampleRate: 1 } });
    await vi.advanceTimersByTimeAsync(5000);
    const health = page.sent.map((body) => body.health).filter(Boolean);
    // The definitions are checked in a random order (health.ts): compare them sorted.
    for (const report of health) report!.checks.sort((a, b) => a.eventName.localeCompare(b.eventName));
    expect(health).toEqual([
      {
        path: '/pricing',
        checks: [
          // Its selector does not parse: it finds nothing, which is what health is for.
          { eventName: `pe${PORTAL}_broken`, signal: 'none' },
          { eventName: `pe${PORTAL}_buy_clicked`, signal: 'selector' },
          { eventName: `pe${PORTAL}_widget_clicked`, signal: 'selector' },
        ],
      },
    ]);

    const unsampled = await site({ config: { healthSampleRate: 0 } });
    await vi.advanceTimersByTimeAsync(5000);
    expect(unsampled.sent.some((body) => body.health)).toBe(false);
  });

  it('keeps completions the server could not take in localStorage and sends them from the next page', async () => {
    const first = await site();
    first.win.fetch = vi.fn(() => Promise.resolve(new Response('', { status: 503 })));
    first.click(first.doc.querySelector('#buy')!);
    await vi.advanceTimersByTimeAsync(0);
    const stored = JSON.parse(first.win.localStorage.getItem(`clicktrail:unsent:${PORTAL}`) ?? '[]') as {
      uuid: string;
    }[];
    expect(stored.map((e) => e.uuid)).toHaveLength(2); // the page view (sent with the click) and the click

    // The next page of the same origin (happy-dom windows do not share storage: carry it over).
    const second = await site({ url: 'https://shop.example.com/other' });
    second.win.localStorage.setItem(`clicktrail:unsent:${PORTAL}`, JSON.stringify(stored));
    await second.api.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(second.events().map((e) => e.uuid)).toEqual(expect.arrayContaining(stored.map((e) => e.uuid)));
    expect(second.win.localStorage.getItem(`clicktrail:unsent:${PORTAL}`)).toBeNull();
  });
});

describe('pageProperties and elementProperties', () => {
  it('leave out what the page does not have', async () => {
    const page = await site({ url: 'https://shop.example.com/' });
    expect(pageProperties(page.win)).not.toHaveProperty('hs_referrer');
    expect(pageProperties(page.win)).not.toHaveProperty('hs_utm_source');
    expect(elementProperties(null)).toEqual({});
    const link = page.doc.querySelector('#plans b')!;
    expect(elementProperties(link)).toEqual({
      hs_element_text: 'All plans',
      hs_link_href: 'https://shop.example.com/plans',
    });
  });
});
