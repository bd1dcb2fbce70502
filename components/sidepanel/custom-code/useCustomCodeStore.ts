import { create } from 'zustand';
import { t } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { CustomCodeChange, CustomCodeErrorSummary } from '@/lib/shared';

/** What is known about one event's code: loading, loaded, or why it could not be loaded. */
type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: MessageErrorData };

interface CustomCodeState {
  /** Errors the code threw on the site over the last week, by event name. */
  errors: Record<string, Loaded<CustomCodeErrorSummary[]>>;
  history: Record<string, Loaded<CustomCodeChange[]>>;
  loadErrors: (name: string) => Promise<void>;
  loadHistory: (name: string) => Promise<void>;
}

/** Days of errors the panel shows next to an event. */
export const ERROR_DAYS = 7;

function failure(error: unknown): { status: 'error'; error: MessageErrorData } {
  return { status: 'error', error: errorDataOf(error, t('sidepanel.loadingFailed')) };
}

/** The side panel's view of the custom code of custom-script events: its errors and its history. */
export const useCustomCodeStore = create<CustomCodeState>()((set) => ({
  errors: {},
  history: {},
  loadErrors: async (name) => {
    set((state) => ({ errors: { ...state.errors, [name]: { status: 'loading' } } }));
    try {
      const value = await sendToBackground('custom-code/errors', { name, days: ERROR_DAYS });
      set((state) => ({ errors: { ...state.errors, [name]: { status: 'ready', value } } }));
    } catch (error) {
      set((state) => ({ errors: { ...state.errors, [name]: failure(error) } }));
    }
  },
  loadHistory: async (name) => {
    set((state) => ({ history: { ...state.history, [name]: { status: 'loading' } } }));
    try {
      const value = await sendToBackground('custom-code/history', { name });
      set((state) => ({ history: { ...state.history, [name]: { status: 'ready', value } } }));
    } catch (error) {
      set((state) => ({ history: { ...state.history, [name]: failure(error) } }));
    }
  },
}));
