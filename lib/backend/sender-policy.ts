/**
 * Who may ask the background for what. Extension pages (popup, side panel) may send every
 * request; a tab's content script only the picker's requests, and only from a tab where the user
 * started Clicktrail. Other extensions and web pages are refused: they never see the API key's
 * powers through us.
 */
import type { Browser } from 'wxt/browser';
import { CONTENT_SCRIPT_REQUESTS } from '../messaging';

export interface SenderPolicy {
  /** `browser.runtime.id`. */
  extensionId: string;
  /** The root of the extension's own pages, `browser.runtime.getURL('/')` (e.g. `chrome-extension://<id>/`). */
  extensionBaseUrl: string;
  /** Whether the user started Clicktrail on that tab (the background's set in session storage). */
  isStartedTab: (tabId: number) => boolean | Promise<boolean>;
}

/** The reason a request is refused, or `undefined` if the sender may make it. */
export async function senderRefusal(
  type: string,
  sender: Browser.runtime.MessageSender,
  policy: SenderPolicy,
): Promise<string | undefined> {
  if (sender.id !== policy.extensionId) {
    return sender.id ? `it comes from another extension (${sender.id}).` : 'it comes from outside the extension.';
  }
  // The browser sets `url`: a content script's is its page's, never one of ours.
  if (sender.url?.startsWith(policy.extensionBaseUrl)) return undefined;
  const tabId = sender.tab?.id;
  if (tabId === undefined) return 'it comes neither from an extension page nor from a tab.';
  if (!(CONTENT_SCRIPT_REQUESTS as readonly string[]).includes(type)) {
    return `a page's script may not send "${type}" (only the extension's popup and side panel may).`;
  }
  if (sender.frameId !== undefined && sender.frameId !== 0) return 'it comes from a frame inside the page.';
  if (!(await policy.isStartedTab(tabId))) return `Clicktrail was not started on tab ${tabId}.`;
  return undefined;
}
