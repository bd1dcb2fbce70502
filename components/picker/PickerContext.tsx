import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PickerController } from '@/lib/picker/controller';
import type { PickerState } from '@/lib/picker/picker-store';

const PickerContext = createContext<PickerController | null>(null);

export const PickerProvider = PickerContext.Provider;

/** The picker controller of this page's overlay. */
export function usePickerController(): PickerController {
  const controller = useContext(PickerContext);
  if (!controller) throw new Error('usePickerController outside <PickerProvider>');
  return controller;
}

/** A slice of the picker's state, re-rendering when it changes. */
export function usePickerState<T>(select: (state: PickerState) => T): T {
  return useStore(usePickerController().store, select);
}
