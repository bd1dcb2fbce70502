import { describe, expect, it } from 'vitest';
import { toBackground, toContent } from './echo-dispatch';

describe('test mode and health messages', () => {
  it.each([
    ['testmode/set', 'no switch', { tabId: 3 }, 'on'],
    ['testmode/set', 'a negative tab id', { tabId: -1, on: true }, 'tabId'],
    ['testmode/state', 'a tab id that is not a number', { tabId: 'current' }, 'tabId'],
    ['testmode/feed', 'a short visitor token', { utk: 'abc', origin: 'https://shop.example.com' }, 'utk'],
    ['testmode/feed', 'an origin that is not a URL', { utk: 'a'.repeat(20), origin: 'shop' }, 'origin'],
    ['testmode/feed', 'a limit over 50', { utk: 'a'.repeat(20), origin: 'https://a.example', limit: 51 }, 'limit'],
    ['definitions/health', 'days over 90', { name: 'buy', days: 365 }, 'days'],
    ['definitions/health', 'a name that is not an internal name', { name: 'Buy now!', days: 7 }, 'name'],
    ['definitions/get', 'no name', {}, 'name'],
    ['custom-code/dry-run', 'no code', { tabId: 1, label: 'Signed up', code: '' }, 'code'],
    ['custom-code/dry-run', 'code over 32 KB', { tabId: 1, label: 'Signed up', code: 'x'.repeat(33 * 1024) }, 'code'],
    ['custom-code/dry-run', 'no tab', { label: 'Signed up', code: 'void 0;' }, 'tabId'],
    ['picker/start', 'a re-pick without a name', { tabId: 1, mode: 'element', repick: {} }, 'repick.name'],
    [
      'picker/start',
      'a re-pick page that is not a URL',
      { tabId: 1, mode: 'element', repick: { name: 'buy', url: '/pricing' } },
      'repick.url',
    ],
  ])('%s refuses %s', async (type, _case, payload, field) => {
    const reply = await toBackground(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('lets a content script ask for its own tab’s state without naming it', async () => {
    expect(await toBackground('testmode/state')).toEqual({ ok: true, data: { echoed: undefined } });
  });

  it.each(['testmode/start', 'testmode/stop', 'testmode/visitor'])('content %s takes no payload', async (type) => {
    expect(await toContent(type)).toMatchObject({ ok: true });
    expect(await toContent(type, { tabId: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
  });
});
