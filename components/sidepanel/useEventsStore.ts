import { create } from 'zustand';
import { MessageError, sendToBackground, type ConnectionStatus, type MessageErrorData } from '@/lib/messaging';
import type { EventDefinition } from '@/lib/shared';

interface EventsState {
  status: ConnectionStatus | null;
  definitions: EventDefinition[] | null;
  loading: boolean;
  error: MessageErrorData | null;
  refresh: () => Promise<void>;
}

/** The side panel's view of the portal's event definitions. */
export const useEventsStore = create<EventsState>()((set) => ({
  status: null,
  definitions: null,
  loading: false,
  error: null,
  refresh: async () => {
    set({ loading: true, error: null });
    try {
      const status = await sendToBackground('connection/get');
      set({ status, definitions: status.connected ? await sendToBackground('definitions/list') : null });
    } catch (error) {
      set({
        error:
          error instanceof MessageError
            ? error.toData()
            : { code: 'INTERNAL', message: error instanceof Error ? error.message : 'Loading failed.' },
      });
    } finally {
      set({ loading: false });
    }
  },
}));
