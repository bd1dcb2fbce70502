/**
 * Starts the picker in a tab, injecting its content script first if the tab has none: nothing of
 * Clicktrail runs on a page until the user starts picking there. Injecting needs `scripting` and
 * access to the tab, which `activeTab` grants when the user opens the popup from the toolbar.
 */
import { t } from '../i18n';
import { browser } from 'wxt/browser';
import { MessageError, sendToTab, type ContentResponses, type PickerMode } from '../messaging';

/** The picker's bundle (entrypoints/picker.content, `registration: 'runtime'`). */
export const PICKER_SCRIPT = '/content-scripts/picker.js';

/** Injections under way, by tab: two starts at once share one injection instead of mounting twice. */
const injecting = new Map<number, Promise<void>>();

/**
 * Asks the tab's picker something; a tab without one (never started, or navigated since) gets it
 * injected, then asked again. A picker already there is reused, so it is never mounted twice.
 */
export async function askPicker<T>(tabId: number, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof MessageError) || error.code !== 'NO_CONTENT_SCRIPT') throw error;
  }
  await injectPicker(tabId);
  return ask();
}

/** Starts the picker in a tab: a new pick, or a re-pick of the click event `repick`. */
export function startPickerInTab(
  tabId: number,
  mode: PickerMode,
  repick?: string,
): Promise<ContentResponses['picker/start']> {
  return askPicker(tabId, () =>
    sendToTab(tabId, 'picker/start', { mode, ...(repick ? { repick: { name: repick } } : {}) }),
  );
}

function injectPicker(tabId: number): Promise<void> {
  let pending = injecting.get(tabId);
  if (!pending) {
    // The script's completion value is its start-up promise, which both browsers wait for: once
    // this resolves, the picker is mounted and listening.
    pending = browser.scripting
      .executeScript({ target: { tabId, frameIds: [0] }, files: [PICKER_SCRIPT] })
      .then(
        () => undefined,
        (error: unknown) => {
          console.warn(`Clicktrail could not inject the picker into tab ${tabId}:`, error);
          throw new MessageError({
            code: 'NO_ACCESS',
            message: t('errors.noAccess'),
          });
        },
      )
      .finally(() => injecting.delete(tabId));
    injecting.set(tabId, pending);
  }
  return pending;
}
