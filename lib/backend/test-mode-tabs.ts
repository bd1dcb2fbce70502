import { storage } from 'wxt/utils/storage';

/**
 * Tabs the user turned test mode on in. Session storage: it survives the background service
 * worker being stopped (MV3), and is gone when the browser closes — test mode is never left on
 * without the user knowing.
 */
const testModeTabs = storage.defineItem<number[]>('session:testModeTabs', { fallback: [] });

export async function isTestModeOn(tabId: number): Promise<boolean> {
  return (await testModeTabs.getValue()).includes(tabId);
}

export async function setTestMode(tabId: number, on: boolean): Promise<void> {
  const tabs = (await testModeTabs.getValue()).filter((id) => id !== tabId);
  await testModeTabs.setValue(on ? [...tabs, tabId] : tabs);
}
