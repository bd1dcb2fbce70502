import '@/lib/zod-config';
import { backgroundHandlers } from '@/lib/backend/handlers';
import { senderRefusal } from '@/lib/backend/sender-policy';
import { startedTabs } from '@/lib/backend/started-tabs';
import { restoreTestMode, setTestMode } from '@/lib/backend/test-mode-tabs';
import { listenInBackground } from '@/lib/messaging';

export default defineBackground(() => {
  const policy = {
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    isStartedTab: startedTabs.has,
  };
  listenInBackground(backgroundHandlers, (type, sender) => senderRefusal(type, sender, policy));
  browser.tabs.onRemoved.addListener((tabId) => {
    void startedTabs.remove(tabId);
    void setTestMode(tabId, false);
  });
  // Test mode stays on across the tab's page loads: the picker is injected again into each.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'complete') void restoreTestMode(tabId);
  });
});
