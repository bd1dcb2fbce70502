import { create } from 'zustand';
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import {
  errorDataOf,
  MessageError,
  sendToBackground,
  type ConnectionInput,
  type ConnectionStatus,
  type MessageErrorData,
  type PickerMode,
} from '@/lib/messaging';

interface PopupState {
  status: ConnectionStatus | null;
  busy: boolean;
  error: MessageErrorData | null;
  load: () => Promise<void>;
  /** `access`: the answer to the backend-origin permission request the Connect click made. */
  connect: (input: ConnectionInput, access: Promise<boolean>) => Promise<void>;
  disconnect: () => Promise<void>;
  startPicking: (mode: PickerMode) => Promise<boolean>;
}

/** The tab the user is looking at: the one the popup was opened over. */
async function activeTabId(): Promise<number> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) {
    throw new MessageError({ code: 'NO_TAB', message: t('popup.errors.noTab') });
  }
  return tab.id;
}

export const usePopupStore = create<PopupState>()((set) => {
  const run = async (work: () => Promise<void>) => {
    set({ busy: true, error: null });
    try {
      await work();
    } catch (error) {
      set({ error: errorDataOf(error, t('common.somethingWentWrong')) });
    } finally {
      set({ busy: false });
    }
  };
  return {
    status: null,
    busy: false,
    error: null,
    load: () => run(async () => set({ status: await sendToBackground('connection/get') })),
    connect: (input, access) =>
      run(async () => {
        if (!(await access)) {
          throw new MessageError({
            code: 'PERMISSION_DENIED',
            message: t('popup.errors.permissionDenied', { origin: new URL(input.baseUrl).origin }),
          });
        }
        set({ status: await sendToBackground('connection/connect', input) });
      }),
    disconnect: () => run(async () => set({ status: await sendToBackground('connection/disconnect') })),
    startPicking: async (mode) => {
      let started = false;
      await run(async () => {
        await sendToBackground('picker/start', { tabId: await activeTabId(), mode });
        started = true;
      });
      return started;
    },
  };
});
