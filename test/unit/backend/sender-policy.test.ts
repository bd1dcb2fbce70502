import { describe, expect, it } from 'vitest';
import { senderRefusal, type SenderPolicy } from '../../../lib/backend/sender-policy';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const policy: SenderPolicy = { extensionId: ID, extensionBaseUrl: BASE, isStartedTab: (tabId) => tabId === 7 };

const page = (tabId: number, frameId = 0) => ({
  id: ID,
  url: 'https://shop.example/cart',
  tab: { id: tabId } as never,
  frameId,
});

describe('senderRefusal', () => {
  it.each([
    ['the popup', 'connection/connect', { id: ID, url: `${BASE}popup.html` }],
    ['the side panel', 'workflows/delete', { id: ID, url: `${BASE}sidepanel.html` }],
    ['the popup opened as a tab', 'picker/start', { id: ID, url: `${BASE}popup.html`, tab: { id: 3 } as never }],
    ['the picker of a started tab, saving an event', 'definitions/create', page(7)],
  ])('accepts %s', async (_who, type, sender) => {
    expect(await senderRefusal(type, sender, policy)).toBeUndefined();
  });

  it.each([
    [
      'another extension',
      'definitions/list',
      { id: 'other', url: 'chrome-extension://other/x.html' },
      'another extension (other)',
    ],
    ['a web page (no extension id)', 'connection/get', { url: 'https://evil.example/' }, 'outside the extension'],
    ['a content script of a tab never started', 'definitions/create', page(8), 'was not started on tab 8'],
    [
      'a started tab asking for the API key’s powers',
      'connection/connect',
      page(7),
      'may not send "connection/connect"',
    ],
    ['a started tab deleting a workflow', 'workflows/delete', page(7), 'may not send "workflows/delete"'],
    ['a frame inside a started tab', 'definitions/create', page(7, 3), 'a frame inside the page'],
    [
      'a page whose URL merely contains the extension’s',
      'definitions/list',
      { id: ID, url: `https://x.example/?u=${BASE}` },
      'neither from an extension page nor from a tab',
    ],
  ])('refuses %s, saying why', async (_who, type, sender, reason) => {
    expect(await senderRefusal(type, sender, policy)).toContain(reason);
  });

  it('asks the started-tab set, which may answer asynchronously (session storage)', async () => {
    const asking = { ...policy, isStartedTab: (tabId: number) => Promise.resolve(tabId === 8) };
    expect(await senderRefusal('definitions/create', page(8), asking)).toBeUndefined();
    expect(await senderRefusal('definitions/create', page(7), asking)).toContain('was not started on tab 7');
  });
});
