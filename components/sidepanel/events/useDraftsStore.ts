import { storage } from 'wxt/utils/storage';
import { create } from 'zustand';

/** Unsaved input of one form: what the user typed, and the event version they started from. */
export interface Draft {
  /** The event it edits (absent for a new event). */
  eventName?: string;
  /** What the form edits, for the "unsaved changes" line: "details", "property colour", "new event". */
  what: string;
  /** The version the user started from (to show what changed meanwhile); absent for a new event. */
  baseVersion?: number;
  /** The edited fields as they were when the user started (what "changed meanwhile" compares with). */
  base?: Record<string, unknown>;
  fields: Record<string, unknown>;
  savedAt: string;
}

/**
 * Drafts live in the extension's local storage (never the site's): closing the panel, reloading
 * the extension or navigating loses nothing, and the panel offers each one back.
 */
const draftsItem = storage.defineItem<Record<string, Draft>>('local:sidepanelDrafts', { fallback: {} });

/** Keys of the forms that keep drafts. */
export const draftKeys = {
  details: (eventName: string) => `details:${eventName}`,
  property: (eventName: string, property: string) => `property:${eventName}:${property}`,
  /** A property being added (it has no internal name yet). */
  newProperty: (eventName: string) => `new-property:${eventName}`,
  trigger: (eventName: string) => `trigger:${eventName}`,
  newEvent: () => 'new-event',
};

/** Whether any form of the event `eventName` holds unsaved changes. */
export function hasDraftOf(drafts: Record<string, Draft> | null, eventName: string): boolean {
  return Object.values(drafts ?? {}).some((draft) => draft.eventName === eventName);
}

interface DraftsState {
  drafts: Record<string, Draft> | null;
  load: () => Promise<void>;
  save: (key: string, draft: Omit<Draft, 'savedAt'>) => void;
  discard: (key: string) => void;
}

// Writes one after another so a quick sequence of keystrokes lands in order.
let writes: Promise<unknown> = Promise.resolve();
function persist(drafts: Record<string, Draft>): void {
  writes = writes
    .then(() => draftsItem.setValue(drafts))
    .catch((error: unknown) => console.warn('Clicktrail could not keep a draft:', error));
}

export const useDraftsStore = create<DraftsState>()((set, get) => ({
  drafts: null,
  load: async () => set({ drafts: await draftsItem.getValue() }),
  save: (key, draft) => {
    const drafts = { ...get().drafts, [key]: { ...draft, savedAt: new Date().toISOString() } };
    set({ drafts });
    persist(drafts);
  },
  discard: (key) => {
    const current = get().drafts ?? {};
    if (!(key in current)) return;
    const { [key]: _gone, ...drafts } = current;
    set({ drafts });
    persist(drafts);
  },
}));
