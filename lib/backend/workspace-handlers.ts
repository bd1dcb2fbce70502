/** The background's handlers of the side panel's events workspace (issue 10). */
import { browser, type Browser } from 'wxt/browser';
import type { z } from 'zod';
import { MessageError, sendToTab, type WorkspaceResponses, type workspaceRequestSchemas } from '../messaging';
import type { BackendClient } from './client';
import { askPicker } from './picker-injection';
import { startedTabs } from './started-tabs';

type WorkspaceHandlers = {
  [K in keyof typeof workspaceRequestSchemas]: (
    payload: z.output<(typeof workspaceRequestSchemas)[K]>,
    sender: Browser.runtime.MessageSender,
  ) => Promise<WorkspaceResponses[K]>;
};

/**
 * Makes sure the tab shows an http(s) page the extension may read, then asks its picker (injected
 * on first use). Without access to the site the tab's URL is hidden from the extension: the panel
 * then offers to allow Clicktrail on the portal's sites (docs/permissions.md).
 */
async function askPage<T>(tabId: number, ask: () => Promise<T>): Promise<T> {
  const tab = await browser.tabs.get(tabId);
  if (tab.url === undefined || !/^https?:/.test(tab.url)) {
    throw new MessageError({
      code: tab.url === undefined ? 'NO_ACCESS' : 'UNSUPPORTED_PAGE',
      message:
        tab.url === undefined
          ? 'Clicktrail may not read this site yet: allow it on your sites (Install help), or click the Clicktrail icon while this tab is in front.'
          : 'Open your website in this tab: Clicktrail can only look at http(s) pages.',
    });
  }
  // The user is working on this tab from the panel: its picker's own requests are answered.
  await startedTabs.add(tabId);
  return askPicker(tabId, ask);
}

export function workspaceHandlers(client: () => Promise<BackendClient>): WorkspaceHandlers {
  return {
    'definitions/property-add': async ({ name, version, property }) =>
      (await client()).addProperty(name, version, property),
    'definitions/property-update': async ({ name, version, property, changes }) =>
      (await client()).updateProperty(name, version, property, changes),
    'definitions/property-delete': async ({ name, version, property }) =>
      (await client()).deleteProperty(name, version, property),
    'origins/list': async () => (await client()).allowedOrigins(),
    'origins/add': async ({ origin }) => (await client()).addAllowedOrigin(origin),
    'page/inspect': ({ tabId, triggers }) => askPage(tabId, () => sendToTab(tabId, 'page/inspect', { triggers })),
    'page/highlight': ({ tabId, trigger }) => askPage(tabId, () => sendToTab(tabId, 'page/highlight', { trigger })),
  };
}
