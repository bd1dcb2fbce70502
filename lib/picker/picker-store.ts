import { create } from 'zustand';
import type { ElementTrigger, EventDefinition } from '../shared';
import type { MessageErrorData } from '../messaging';

/** A rectangle in viewport coordinates (serialisable, unlike a DOMRect). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HoverInfo {
  rect: Rect;
  label: string;
}

export interface Picked {
  trigger: ElementTrigger;
  rect: Rect;
  label: string;
  /** Matches of the trigger on this page right now (1 in unique mode). */
  matchCount: number;
  suggestedLabel: string;
}

export type PickerView =
  | { phase: 'idle' }
  | { phase: 'picking'; hover: HoverInfo | null }
  | { phase: 'naming'; picked: Picked; saving: boolean; error: MessageErrorData | null }
  | { phase: 'pageview'; saving: boolean; error: MessageErrorData | null }
  | { phase: 'saved'; definition: EventDefinition };

export interface PickerState {
  view: PickerView;
  start: () => void;
  startPageView: () => void;
  setHover: (info: HoverInfo | null) => void;
  pick: (picked: Picked) => void;
  markSaving: () => void;
  markFailed: (error: MessageErrorData) => void;
  markSaved: (definition: EventDefinition) => void;
  reset: () => void;
}

/**
 * The picker's state machine: idle → picking → naming (⇄ saving/error) → saved → idle, and
 * idle → pageview (⇄ saving/error) → saved for page-view events.
 * Lives in the content script only; never persisted (the page's storage belongs to the site).
 */
export const usePickerStore = create<PickerState>()((set, get) => ({
  view: { phase: 'idle' },
  start: () => set({ view: { phase: 'picking', hover: null } }),
  startPageView: () => set({ view: { phase: 'pageview', saving: false, error: null } }),
  setHover: (hover) => {
    if (get().view.phase === 'picking') set({ view: { phase: 'picking', hover } });
  },
  pick: (picked) => set({ view: { phase: 'naming', picked, saving: false, error: null } }),
  markSaving: () => {
    const { view } = get();
    if (view.phase === 'naming' || view.phase === 'pageview') set({ view: { ...view, saving: true, error: null } });
  },
  markFailed: (error) => {
    const { view } = get();
    if (view.phase === 'naming' || view.phase === 'pageview') set({ view: { ...view, saving: false, error } });
  },
  markSaved: (definition) => set({ view: { phase: 'saved', definition } }),
  reset: () => set({ view: { phase: 'idle' } }),
}));
