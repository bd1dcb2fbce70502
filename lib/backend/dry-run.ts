/**
 * "Run on this page now" for custom code (issue 16): the code runs once in the page's own
 * JavaScript world — where it will run for real, next to the site's scripts — with a `clicktrail`
 * whose `track` only reports to test mode, which shows what would be sent. Nothing is sent.
 */
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { MessageError, sendToTab } from '../messaging';
import { DRY_RUN_MESSAGE } from '../shared';
import { askPicker } from './picker-injection';
import { startedTabs } from './started-tabs';
import { setTestMode } from './test-mode-tabs';

/**
 * Runs in the page (serialised by `scripting.executeScript`: it must not use anything outside
 * itself). `new Function` is what a page's Content-Security-Policy may forbid; then it says so.
 */
function runInPage(code: string, label: string, marker: string): { error?: string } {
  const report = (eventName: unknown, properties: unknown) => {
    let plain: Record<string, string> = {};
    try {
      for (const [key, value] of Object.entries((properties ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          plain[key] = String(value);
      }
    } catch {
      plain = {};
    }
    window.postMessage({ [marker]: true, label, eventName: String(eventName), properties: plain }, '*');
  };
  const clicktrail = {
    track: report,
    identify: () => undefined,
    consent: () => undefined,
    refresh: () => Promise.resolve(),
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the user's own code is the point
    const run = new Function('clicktrail', code) as (api: typeof clicktrail) => void;
    run(clicktrail);
    return {};
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return {
      error:
        name === 'EvalError'
          ? `This page's Content-Security-Policy does not let the extension run code here (${message}). Save the code and check it with test mode on the next page load.`
          : `${name}: ${message}`,
    };
  }
}

export async function dryRunCustomCode(
  tabId: number,
  label: string,
  code: string,
): Promise<{ ran: true; error?: string }> {
  // Test mode shows what the code tracks: turn it on in that tab first.
  await setTestMode(tabId, true);
  await startedTabs.add(tabId);
  await askPicker(tabId, () => sendToTab(tabId, 'testmode/start'));
  let results: { result?: unknown }[];
  try {
    results = await browser.scripting.executeScript({
      target: { tabId, frameIds: [0] },
      world: 'MAIN',
      func: runInPage,
      args: [code, label, DRY_RUN_MESSAGE],
    });
  } catch (error) {
    throw new MessageError({
      code: 'NO_ACCESS',
      message: t('customCode.cannotRun', { reason: error instanceof Error ? error.message : String(error) }),
    });
  }
  const outcome = (results[0]?.result ?? {}) as { error?: string };
  return { ran: true, ...(outcome.error ? { error: outcome.error } : {}) };
}
