import { create } from 'zustand';
import {
  MAX_ACTIVITY_EVENTS,
  errorDataOf,
  sendToBackground,
  type ConnectionStatus,
  type DefinitionUpdate,
  type MessageErrorData,
} from '@/lib/messaging';
import { t } from '@/lib/i18n';
import type {
  EventDefinition,
  EventDefinitionCreate,
  PropertyDefinitionInput,
  PropertyPatch,
  Trigger,
} from '@/lib/shared';

interface EventsState {
  status: ConnectionStatus | null;
  definitions: EventDefinition[] | null;
  loading: boolean;
  error: MessageErrorData | null;
  /** Definitions (by name) with a change on its way to the server. */
  saving: Record<string, boolean>;
  /** The last failed change of each definition, shown next to it. */
  itemErrors: Record<string, MessageErrorData>;
  /** The definition archived last, for its Undo. */
  archived: EventDefinition | null;
  /** When each active event last fired, by fully qualified name (null: never); null until loaded. */
  activity: Record<string, string | null> | null;
  activityError: MessageErrorData | null;
  refresh: () => Promise<void>;
  /** Looks up when these (newest, active) events last fired; the list shows before this is done. */
  loadActivity: (definitions: EventDefinition[]) => Promise<void>;
  /** Sends a change made on `definition` as the user saw it; true once the server took it. */
  update: (definition: EventDefinition, changes: DefinitionUpdate['changes']) => Promise<boolean>;
  /** Property changes (add, edit, delete), each conditional on the version the user saw. */
  addProperty: (definition: EventDefinition, property: PropertyDefinitionInput) => Promise<boolean>;
  updateProperty: (definition: EventDefinition, property: string, changes: PropertyPatch) => Promise<boolean>;
  deleteProperty: (definition: EventDefinition, property: string) => Promise<boolean>;
  /**
   * Saves a trigger whose page properties need definition properties the event does not have yet:
   * those are added first (each on the version the previous step returned), then the trigger.
   */
  saveTrigger: (
    definition: EventDefinition,
    trigger: Trigger,
    newProperties: PropertyDefinitionInput[],
  ) => Promise<boolean>;
  /** Creates an event from the panel; the new definition, or null with `createError` set. */
  create: (input: EventDefinitionCreate) => Promise<EventDefinition | null>;
  createError: MessageErrorData | null;
  dismissArchived: () => void;
  /** Forgets a definition's last failed change (the user moved on: cancelled, or starts anew). */
  clearError: (name: string) => void;
  /** Events with a form open in the list: they stay listed while it is open (findEvents). */
  openForms: readonly string[];
  setFormOpen: (name: string, open: boolean) => void;
}

/** The side panel's view of the portal's event definitions, and the changes made in it. */
export const useEventsStore = create<EventsState>()((set, get) => {
  return {
    status: null,
    definitions: null,
    loading: false,
    error: null,
    saving: {},
    itemErrors: {},
    archived: null,
    activity: null,
    activityError: null,

    refresh: async () => {
      set({ loading: true, error: null });
      let definitions: EventDefinition[] | null = null;
      try {
        const status = await sendToBackground('connection/get');
        definitions = status.connected ? await sendToBackground('definitions/list') : null;
        set({ status, definitions });
      } catch (error) {
        set({ error: errorDataOf(error, t('sidepanel.loadingFailed')) });
      } finally {
        set({ loading: false });
      }
      // Not awaited: the list (and a conflict message that waits for it) should not wait for the times.
      if (definitions) void get().loadActivity(definitions);
    },

    loadActivity: async (definitions) => {
      const eventTypes = definitions
        .filter((definition) => !definition.archived)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, MAX_ACTIVITY_EVENTS)
        .map((definition) => definition.fullyQualifiedName);
      set({ activityError: null });
      try {
        const found = await sendToBackground('definitions/activity', { eventTypes });
        set((state) => ({ activity: { ...state.activity, ...found } }));
      } catch (error) {
        set({ activityError: errorDataOf(error, t('sidepanel.activityFailed')) });
      }
    },

    update: async (definition, changes) => {
      const updated = await change(definition, () =>
        sendToBackground('definitions/update', { name: definition.name, version: definition.version, changes }),
      );
      if (!updated) return false;
      set((state) => ({
        archived: changes.archived === true ? updated : state.archived?.name === updated.name ? null : state.archived,
      }));
      // A restored event was not looked up with the active ones.
      if (changes.archived === false) void get().loadActivity([updated]);
      return true;
    },

    addProperty: async (definition, property) =>
      Boolean(
        await change(definition, () =>
          sendToBackground('definitions/property-add', {
            name: definition.name,
            version: definition.version,
            property,
          }),
        ),
      ),
    updateProperty: async (definition, property, changes) =>
      Boolean(
        await change(definition, () =>
          sendToBackground('definitions/property-update', {
            name: definition.name,
            version: definition.version,
            property,
            changes,
          }),
        ),
      ),
    deleteProperty: async (definition, property) =>
      Boolean(
        await change(definition, () =>
          sendToBackground('definitions/property-delete', {
            name: definition.name,
            version: definition.version,
            property,
          }),
        ),
      ),
    saveTrigger: async (definition, trigger, newProperties) => {
      let latest: EventDefinition | null = definition;
      for (const property of newProperties) {
        const at: EventDefinition = latest;
        latest = await change(at, () =>
          sendToBackground('definitions/property-add', { name: at.name, version: at.version, property }),
        );
        if (!latest) {
          // The trigger editor shows the error at the page property this definition property is for.
          const index = trigger.properties?.findIndex((pageProperty) => pageProperty.name === property.name) ?? -1;
          const at = `trigger.properties.${index}.`;
          set((state) => {
            const error = state.itemErrors[definition.name];
            if (!error?.fields || index < 0) return state;
            const fields = error.fields.map((field) => ({
              ...field,
              ...(field.in ? { in: at + field.in.replace(/^(property|changes)\./, '') } : {}),
            }));
            return { itemErrors: { ...state.itemErrors, [definition.name]: { ...error, fields } } };
          });
          return false;
        }
      }
      return get().update(latest, { trigger });
    },

    createError: null,
    create: async (input) => {
      set({ createError: null });
      try {
        const created = await sendToBackground('definitions/create', input);
        set((state) => ({ definitions: [...(state.definitions ?? []), created] }));
        return created;
      } catch (error) {
        set({ createError: errorDataOf(error, t('sidepanel.createFailed')) });
        return null;
      }
    },

    dismissArchived: () => set({ archived: null }),
    clearError: (name) => set((state) => ({ itemErrors: without(state.itemErrors, name) })),
    openForms: [],
    setFormOpen: (name, open) =>
      set((state) =>
        state.openForms.includes(name) === open
          ? state
          : { openForms: open ? [...state.openForms, name] : state.openForms.filter((other) => other !== name) },
      ),
  };

  /**
   * Runs one change of `definition` on the server: marks it saving, puts the answer in the list,
   * and on failure keeps the error next to the event. A stale version (409) reloads the list so
   * the form can show what changed meanwhile, field by field.
   */
  async function change(
    definition: EventDefinition,
    send: () => Promise<EventDefinition>,
  ): Promise<EventDefinition | null> {
    const { name } = definition;
    set((state) => ({ saving: { ...state.saving, [name]: true }, itemErrors: without(state.itemErrors, name) }));
    try {
      const updated = await send();
      set((state) => ({
        definitions: state.definitions?.map((current) => (current.name === name ? updated : current)) ?? null,
      }));
      return updated;
    } catch (error) {
      let data = errorDataOf(error, t('sidepanel.savingFailed'));
      if (data.fields?.some((field) => field.code === 'stale_version')) {
        // Someone changed the event since this list was loaded: load what it is now, keep the user's input.
        await get().refresh();
        const latest = get().definitions?.find((current) => current.name === name);
        data = {
          code: data.code,
          message: latest
            ? t(latest.archived ? 'sidepanel.changedElsewhereArchived' : 'sidepanel.changedElsewhere', {
                label: latest.label,
              })
            : t('sidepanel.changedElsewhereGone'),
        };
      }
      set((state) => ({ itemErrors: { ...state.itemErrors, [name]: data } }));
      return null;
    } finally {
      set((state) => ({ saving: without(state.saving, name) }));
    }
  }
});

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
