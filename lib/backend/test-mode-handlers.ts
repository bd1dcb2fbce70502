/** The background's handlers of test mode and selector health (issue 9). */
import { browser, type Browser } from 'wxt/browser';
import type { z } from 'zod';
import {
  MessageError,
  sendToTab,
  type FeedItem,
  type TestModeResponses,
  type testModeRequestSchemas,
} from '../messaging';
import { t } from '../i18n';
import type { BackendClient } from './client';
import { askPicker } from './picker-injection';
import { startedTabs } from './started-tabs';
import { isTestModeOn, setTestMode } from './test-mode-tabs';

type TestModeHandlers = {
  [K in keyof typeof testModeRequestSchemas]: (
    payload: z.output<(typeof testModeRequestSchemas)[K]>,
    sender: Browser.runtime.MessageSender,
  ) => Promise<TestModeResponses[K]>;
};

/** Completions the live feed looks through for the site's (a visitor browses one site at a time). */
const FEED_SCAN = 100;
const FEED_DEFAULT = 20;

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

export function testModeHandlers(client: () => Promise<BackendClient>): TestModeHandlers {
  return {
    'testmode/set': async ({ tabId, on }) => {
      await client();
      if (on) {
        const tab = await browser.tabs.get(tabId);
        // Without `tabs`, the URL is known only for a tab the extension may access.
        if (tab.url !== undefined && !/^https?:/.test(tab.url)) {
          throw new MessageError({
            code: 'UNSUPPORTED_PAGE',
            message: t('testMode.unsupportedPage'),
          });
        }
      }
      // Remembered first, so a page that loads meanwhile already starts in test mode.
      await setTestMode(tabId, on);
      try {
        if (on) {
          // Test mode runs in the picker's content script: the tab counts as started by the user.
          await startedTabs.add(tabId);
          await askPicker(tabId, () => sendToTab(tabId, 'testmode/start'));
        } else await sendToTab(tabId, 'testmode/stop');
      } catch (error) {
        // Turning off a tab whose page is gone (closed, navigated to a browser page) is still off.
        if (on) {
          await setTestMode(tabId, false);
          throw error;
        }
      }
      return { on };
    },

    'testmode/state': async (payload, sender) => {
      const tabId = payload?.tabId ?? sender.tab?.id;
      return { on: tabId !== undefined && (await isTestModeOn(tabId)) };
    },

    'testmode/feed': async ({ utk, origin, limit = FEED_DEFAULT }) => {
      const backend = await client();
      const contact = await backend.findContact({ utk });
      if (!contact) return { contactFound: false, items: [] };
      const timeline = await backend.timeline({ contactId: contact.id, limit: FEED_SCAN });
      const items: FeedItem[] = [];
      for (const entry of timeline.results) {
        const url = entry.properties.find((property) => property.name === 'hs_url')?.value ?? null;
        // Completions from other sites of the portal (or sent by the HTTP API, without a page) are not this test's.
        if (originOf(url ?? undefined) !== origin) continue;
        items.push({
          id: entry.id,
          eventName: entry.eventName,
          eventLabel: entry.eventLabel,
          occurredAt: entry.occurredAt,
          url,
          properties: entry.properties,
        });
        if (items.length >= limit) break;
      }
      return { contactFound: true, items };
    },

    'definitions/health': async ({ name, days }) => (await client()).definitionHealth(name, days),
  };
}
