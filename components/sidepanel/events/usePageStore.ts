import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import { create } from 'zustand';
import { errorDataOf, sendToBackground, type MessageErrorData, type PageInspection } from '@/lib/messaging';
import type { ClickTrigger, EventDefinition } from '@/lib/shared';

interface PageState {
  /** The tab in front of the panel's window, and its URL when the extension may read it. */
  tabId: number | null;
  url: string | undefined;
  inspection: PageInspection | null;
  inspectionError: MessageErrorData | null;
  /** The event whose matches are outlined on the page, with what it found there. */
  highlighted: { name: string; found: number | null; passing: number | null } | null;
  /** Reads the tab in front again (the panel calls it on tab switches and page loads). */
  loadTab: () => Promise<void>;
  /** Asks the page what the click events find there and which tracker it loads. */
  inspect: (definitions: readonly EventDefinition[]) => Promise<void>;
  highlight: (name: string, trigger: ClickTrigger) => Promise<void>;
  clearHighlight: (name: string) => Promise<void>;
}

/** Click events one inspection evaluates (the panel lists those targeting the page first). */
const MAX_INSPECTED = 1000;

/** The page in front of the side panel, as far as the panel's events relate to it. */
export const usePageStore = create<PageState>()((set, get) => ({
  tabId: null,
  url: undefined,
  inspection: null,
  inspectionError: null,
  highlighted: null,

  loadTab: async () => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    const url = tab?.url && /^https?:/.test(tab.url) ? tab.url : undefined;
    if (tab?.id !== get().tabId || url !== get().url) {
      set({ tabId: tab?.id ?? null, url, inspection: null, inspectionError: null, highlighted: null });
    }
  },

  inspect: async (definitions) => {
    const { tabId, url } = get();
    if (tabId === null || !url) return;
    const triggers = definitions
      .filter((definition) => !definition.archived && definition.trigger?.kind === 'click')
      .slice(0, MAX_INSPECTED)
      .map((definition) => ({ name: definition.name, trigger: definition.trigger as ClickTrigger }));
    try {
      const inspection = await sendToBackground('page/inspect', { tabId, triggers });
      if (get().tabId === tabId) set({ inspection, inspectionError: null });
    } catch (error) {
      set({ inspection: null, inspectionError: errorDataOf(error, t('events.page.inspectFailed')) });
    }
  },

  highlight: async (name, trigger) => {
    const { tabId, url } = get();
    if (tabId === null || !url) return;
    set({ highlighted: { name, found: null, passing: null } });
    try {
      const found = await sendToBackground('page/highlight', { tabId, trigger });
      if (get().highlighted?.name === name) set({ highlighted: { name, found: found.found, passing: found.passing } });
      // The pointer left the event while the page answered: take the outline away again.
      else if (get().highlighted === null) await sendToBackground('page/highlight', { tabId, trigger: null });
    } catch {
      // Highlighting is a hint: a page that cannot be reached just shows nothing.
    }
  },

  clearHighlight: async (name) => {
    const { tabId, highlighted } = get();
    if (tabId === null || highlighted?.name !== name) return;
    set({ highlighted: null });
    await sendToBackground('page/highlight', { tabId, trigger: null }).catch(() => undefined);
  },
}));
