import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MessageErrorData } from '../messaging';
import type {
  ClickConditions,
  ClickTrigger,
  ElementTrigger,
  EventDefinition,
  PagePropertySource,
  PropertyType,
} from '../shared';
import type { PropertyReading } from '../matcher';

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

/** A property the user added in the panel: where its value comes from, and how it is defined. */
export interface PropertyDraft {
  /** Internal property name (the definition's property and the completion's key). */
  name: string;
  label: string;
  type: Extract<PropertyType, 'string' | 'number'>;
  source: PagePropertySource;
  /** What the source is, for the panel (e.g. `h3 “Rain-glaze bowl” in li.product-card`). */
  description: string;
}

/** What the user chose in the panel beyond the element itself. */
export interface PickDraft {
  mode: 'unique' | 'similar';
  conditions: ClickConditions;
  properties: PropertyDraft[];
}

/** The live result of the shared evaluation on this page, for the panel and the highlights. */
export interface PickPreview {
  /** Matches of the element trigger (before conditions). */
  found: number;
  /** Of those, matches that pass the conditions. */
  passing: number;
  /** Where the matches are on screen (capped), passing ones flagged. */
  rects: { rect: Rect; passing: boolean }[];
  properties: PropertyReading[];
}

export interface Picked {
  trigger: ElementTrigger;
  rect: Rect;
  label: string;
  suggestedLabel: string;
  /** The picked element's own text and link (to prefill conditions). */
  text: string;
  href: string | undefined;
  /** Attribute names offered as property sources. */
  attributes: string[];
  /** Whether ↑ / ↓ can move. */
  canParent: boolean;
  canChild: boolean;
  /** Set when the picked element's root is not where the panel can follow (e.g. it was removed). */
  notice?: string;
}

/**
 * The element under the pointer while picking (an element or a property source). Apart from the
 * view: it changes on every pointer move, and the overlay draws it straight into its two DOM nodes
 * (components/picker/Highlight.tsx) instead of rendering the whole overlay again each time.
 */
export type HoverStore = StoreApi<{ hover: HoverInfo | null }>;

export const createHoverStore = (): HoverStore => createStore<{ hover: HoverInfo | null }>()(() => ({ hover: null }));

/**
 * Re-picking the element of an existing click event: its definition as loaded (the version the
 * update is conditional on) and what its current trigger finds on this page.
 */
export interface Repick {
  definition: EventDefinition;
  trigger: ClickTrigger;
  /** Elements the current trigger finds on this page (0: it broke here). */
  oldFound: number;
  /** Properties a save of this re-pick already added to the event (a retry skips them). */
  added?: string[];
}

export type PickerView =
  | { phase: 'idle' }
  | { phase: 'picking'; purpose: 'element' | 'property' }
  | {
      phase: 'naming';
      picked: Picked;
      draft: PickDraft;
      preview: PickPreview;
      /** Picking a second element as a property source: the panel waits (the hover is in `HoverStore`). */
      pickingProperty: boolean;
      propertyError: string | null;
      saving: boolean;
      error: MessageErrorData | null;
    }
  | { phase: 'pageview'; saving: boolean; error: MessageErrorData | null }
  | { phase: 'saved'; definition: EventDefinition };

export interface PickerState {
  view: PickerView;
  /** Set while the pick replaces an existing event's trigger instead of making a new event. */
  repick: Repick | null;
  set: (view: PickerView) => void;
  setRepick: (repick: Repick | null) => void;
  /** Updates the naming view in place (no-op in other phases). */
  updateNaming: (
    change: (view: Extract<PickerView, { phase: 'naming' }>) => Partial<Extract<PickerView, { phase: 'naming' }>>,
  ) => void;
  markSaving: () => void;
  markFailed: (error: MessageErrorData) => void;
  markSaved: (definition: EventDefinition) => void;
  reset: () => void;
}

export type PickerStore = StoreApi<PickerState>;

/**
 * The picker's state machine: idle → picking → naming (⇄ property picking, saving/error) →
 * saved → idle, and idle → pageview (⇄ saving/error) → saved for page-view events. One store per
 * picker (created with its controller); lives in the content script only and is never persisted
 * (the page's storage belongs to the site).
 */
export function createPickerStore(): PickerStore {
  return createStore<PickerState>()((set, get) => ({
    view: { phase: 'idle' },
    repick: null,
    set: (view) => set({ view }),
    setRepick: (repick) => set({ repick }),
    updateNaming: (change) => {
      const { view } = get();
      if (view.phase === 'naming') set({ view: { ...view, ...change(view) } });
    },
    markSaving: () => {
      const { view } = get();
      if (view.phase === 'naming' || view.phase === 'pageview') set({ view: { ...view, saving: true, error: null } });
    },
    markFailed: (error) => {
      const { view } = get();
      if (view.phase === 'naming' || view.phase === 'pageview') set({ view: { ...view, saving: false, error } });
    },
    markSaved: (definition) => set({ view: { phase: 'saved', definition } }),
    reset: () => set({ view: { phase: 'idle' }, repick: null }),
  }));
}
