import { create } from 'zustand';
import { t } from '@/lib/i18n';
import {
  errorDataOf,
  MessageError,
  sendToBackground,
  type MessageErrorData,
  type WorkflowUpdate,
} from '@/lib/messaging';
import type { Delivery, EventDefinition, WebhookTestResult, Workflow, WorkflowCreate } from '@/lib/shared';

interface WorkflowsState {
  workflows: Workflow[] | null;
  /** Event definitions, for the editor's event choices. */
  events: EventDefinition[];
  loading: boolean;
  error: MessageErrorData | null;
  /** Open delivery log: the workflow and its newest deliveries. */
  log: { workflowId: string; deliveries: Delivery[] | null; error: MessageErrorData | null } | null;
  testResult: { workflowId: string; result: WebhookTestResult | null; error: MessageErrorData | null } | null;
  refresh: () => Promise<void>;
  /** Creates (no id) or updates a workflow; returns the saved workflow, or an error for the form. */
  save: (draft: WorkflowCreate, current?: Workflow) => Promise<Workflow | MessageErrorData>;
  update: (workflow: Workflow, changes: WorkflowUpdate['changes']) => Promise<void>;
  remove: (workflow: Workflow) => Promise<void>;
  test: (workflow: Workflow) => Promise<void>;
  openLog: (workflow: Workflow) => Promise<void>;
  closeLog: () => void;
  retry: (delivery: Delivery) => Promise<void>;
}

/** The side panel's workflows: list, editor saves, on/off, test sends and the delivery log. */
export const useWorkflowsStore = create<WorkflowsState>()((set, get) => ({
  workflows: null,
  events: [],
  loading: false,
  error: null,
  log: null,
  testResult: null,

  refresh: async () => {
    set({ loading: true, error: null });
    try {
      const status = await sendToBackground('connection/get');
      if (!status.connected) {
        set({
          workflows: null,
          error: new MessageError({ code: 'NOT_CONNECTED', message: t('sidepanel.notConnected') }).toData(),
        });
        return;
      }
      const [workflows, events] = await Promise.all([
        sendToBackground('workflows/list'),
        sendToBackground('definitions/list'),
      ]);
      set({ workflows, events: events.filter((event) => !event.archived) });
    } catch (error) {
      set({ error: errorDataOf(error) });
    } finally {
      set({ loading: false });
    }
  },

  save: async (draft, current) => {
    try {
      const saved = current
        ? await sendToBackground('workflows/update', { id: current.id, version: current.version, changes: draft })
        : await sendToBackground('workflows/create', draft);
      await get().refresh();
      return saved;
    } catch (error) {
      return errorDataOf(error);
    }
  },

  update: async (workflow, changes) => {
    set({ error: null });
    try {
      await sendToBackground('workflows/update', { id: workflow.id, version: workflow.version, changes });
    } catch (error) {
      set({ error: errorDataOf(error) });
    }
    await get().refresh();
  },

  remove: async (workflow) => {
    set({ error: null });
    try {
      await sendToBackground('workflows/delete', { id: workflow.id, version: workflow.version });
    } catch (error) {
      set({ error: errorDataOf(error) });
    }
    await get().refresh();
  },

  test: async (workflow) => {
    set({ testResult: { workflowId: workflow.id, result: null, error: null } });
    try {
      const result = await sendToBackground('workflows/test', { id: workflow.id });
      set({ testResult: { workflowId: workflow.id, result, error: null } });
    } catch (error) {
      set({ testResult: { workflowId: workflow.id, result: null, error: errorDataOf(error) } });
    }
  },

  openLog: async (workflow) => {
    set({ log: { workflowId: workflow.id, deliveries: null, error: null } });
    try {
      const deliveries = await sendToBackground('workflows/deliveries', { id: workflow.id });
      if (get().log?.workflowId === workflow.id) set({ log: { workflowId: workflow.id, deliveries, error: null } });
    } catch (error) {
      set({ log: { workflowId: workflow.id, deliveries: null, error: errorDataOf(error) } });
    }
  },

  closeLog: () => set({ log: null }),

  retry: async (delivery) => {
    const log = get().log;
    try {
      const updated = await sendToBackground('workflows/retry', { id: delivery.workflowId, deliveryId: delivery.id });
      if (log?.deliveries) {
        set({
          log: {
            ...log,
            deliveries: log.deliveries.map((entry) => (entry.id === updated.id ? updated : entry)),
            error: null,
          },
        });
      }
    } catch (error) {
      if (log) set({ log: { ...log, error: errorDataOf(error) } });
    }
  },
}));
