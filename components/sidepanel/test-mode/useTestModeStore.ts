import { browser } from 'wxt/browser';
import { create } from 'zustand';
import { errorDataOf, sendToBackground, sendToTab, type FeedItem, type MessageErrorData } from '@/lib/messaging';

/** The live feed asks the backend this often while test mode is on (the issue asks for ≤ 2 s). */
export const FEED_POLL_MS = 1500;

interface TestModeState {
  tabId: number | null;
  on: boolean;
  /** A switch on or off on its way. */
  switching: boolean;
  error: MessageErrorData | null;
  /** The site's origin and this browser's visitor token on it, read from the page. */
  origin: string | null;
  utk: string | null;
  /** Null until the first answer; the completions the backend received, newest first. */
  feed: FeedItem[] | null;
  feedError: MessageErrorData | null;
  /** Reads the active tab and whether test mode is on there. */
  load: () => Promise<void>;
  toggle: () => Promise<void>;
  /** One round of the live feed (the view calls it on a timer while test mode is on). */
  poll: () => Promise<void>;
}

async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** The side panel's test mode: the switch for the active tab, and the live feed of what arrived. */
export const useTestModeStore = create<TestModeState>()((set, get) => ({
  tabId: null,
  on: false,
  switching: false,
  error: null,
  origin: null,
  utk: null,
  feed: null,
  feedError: null,

  load: async () => {
    try {
      const tabId = await activeTabId();
      if (tabId !== get().tabId) set({ feed: null, utk: null, origin: null, feedError: null });
      const { on } = tabId === null ? { on: false } : await sendToBackground('testmode/state', { tabId });
      set({ tabId, on, error: null });
    } catch (error) {
      set({ error: errorDataOf(error) });
    }
  },

  toggle: async () => {
    const { tabId, on } = get();
    if (tabId === null) return;
    set({ switching: true, error: null });
    try {
      const result = await sendToBackground('testmode/set', { tabId, on: !on });
      set({ on: result.on, feed: result.on ? null : get().feed });
      if (result.on) await get().poll();
    } catch (error) {
      set({ error: errorDataOf(error) });
    } finally {
      set({ switching: false });
    }
  },

  poll: async () => {
    const { tabId } = get();
    if (tabId === null) return;
    try {
      // Read each time: the tracker sets its cookie on the first page view, maybe after test mode started.
      const visitor = await sendToTab(tabId, 'testmode/visitor');
      set({ origin: visitor.origin, utk: visitor.utk });
      if (!visitor.utk) {
        set({ feed: [], feedError: null });
        return;
      }
      const { items } = await sendToBackground('testmode/feed', { utk: visitor.utk, origin: visitor.origin });
      set({ feed: items, feedError: null });
    } catch (error) {
      set({ feedError: errorDataOf(error) });
    }
  },
}));
