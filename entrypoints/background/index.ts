import '@/lib/zod-config';
import { backgroundHandlers } from '@/lib/backend/handlers';
import { setTestMode } from '@/lib/backend/test-mode-tabs';
import { listenInBackground } from '@/lib/messaging';

export default defineBackground(() => {
  listenInBackground(backgroundHandlers);
  browser.tabs.onRemoved.addListener((tabId) => void setTestMode(tabId, false));
});
