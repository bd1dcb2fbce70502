import { storage } from 'wxt/utils/storage';
import { sendToTab } from '../messaging';
import { askPicker } from './picker-injection';

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

/**
 * After a tab in test mode loaded a page: injects the picker there (it asks for its test mode on
 * start). Needs access to the page's site; without it (the user navigated to another site), test
 * mode simply does not follow, and the side panel says how to start it there.
 */
export async function restoreTestMode(tabId: number): Promise<void> {
  if (!(await isTestModeOn(tabId))) return;
  try {
    await askPicker(tabId, () => sendToTab(tabId, 'testmode/start'));
  } catch (error) {
    console.warn(`Clicktrail test mode could not follow tab ${tabId} to its new page:`, error);
  }
}
