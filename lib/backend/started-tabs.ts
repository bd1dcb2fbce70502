/**
 * The tabs the user started Clicktrail on, whose content script the background answers. Kept in
 * session storage (extension contexts only; cleared when the browser closes) so a service-worker
 * restart does not forget them while the picker is open.
 */
import { storage } from 'wxt/utils/storage';

const startedTabsItem = storage.defineItem<number[]>('session:startedTabs', { fallback: [] });

// Writes one after another, so two tabs started at once cannot lose each other's id.
let queue: Promise<unknown> = Promise.resolve();
function update(change: (tabs: number[]) => number[]): Promise<void> {
  const next = queue.then(async () => startedTabsItem.setValue(change(await startedTabsItem.getValue())));
  queue = next.catch(() => undefined);
  return next;
}

export const startedTabs = {
  add: (tabId: number) => update((tabs) => (tabs.includes(tabId) ? tabs : [...tabs, tabId])),
  remove: (tabId: number) => update((tabs) => tabs.filter((id) => id !== tabId)),
  has: async (tabId: number) => (await startedTabsItem.getValue()).includes(tabId),
};
