import '@/lib/zod-config';
import { browser } from 'wxt/browser';
import { backgroundHandlers } from '@/lib/backend/handlers';
import { senderRefusal } from '@/lib/backend/sender-policy';
import { startedTabs } from '@/lib/backend/started-tabs';
import { listenInBackground } from '@/lib/messaging';

export default defineBackground(() => {
  const policy = {
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    isStartedTab: startedTabs.has,
  };
  listenInBackground(backgroundHandlers, (type, sender) => senderRefusal(type, sender, policy));
  browser.tabs.onRemoved.addListener((tabId) => void startedTabs.remove(tabId));
});
