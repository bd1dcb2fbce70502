import { create } from 'zustand';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { DefinitionHealth } from '@/lib/shared';

/** Days of health the panel reads. */
export const HEALTH_DAYS = 7;
const LOOKUPS_AT_ONCE = 4;

interface HealthState {
  /** By internal name: the health, or the error reading it. */
  health: Record<string, DefinitionHealth | MessageErrorData>;
  /** Reads the health of these click events, a few at a time (hundreds of events stay gentle on the server). */
  load: (names: readonly string[]) => Promise<void>;
}

export const useHealthStore = create<HealthState>()((set) => ({
  health: {},
  load: async (names) => {
    const queue = [...new Set(names)];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        let result: DefinitionHealth | MessageErrorData;
        try {
          result = await sendToBackground('definitions/health', { name, days: HEALTH_DAYS });
        } catch (error) {
          result = errorDataOf(error);
        }
        set((state) => ({ health: { ...state.health, [name]: result } }));
      }
    };
    await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
  },
}));
