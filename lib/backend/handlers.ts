/**
 * The background's request handlers: the only place the extension talks to the backend.
 */
import { t } from '../i18n';
import { browser } from 'wxt/browser';
import { MessageError, type BackgroundResponses, type ConnectionStatus } from '../messaging';
import type { backgroundRequestSchemas } from '../messaging';
import { analyticsHandlers } from './analytics-handlers';
import { originPattern } from './backend-origin';
import { BackendClient } from './client';
import { contactHandlers } from './contact-handlers';
import { importHandlers } from './import-handlers';
import { connectionItem, type StoredConnection } from './connection-store';
import { dryRunCustomCode } from './dry-run';
import { startPickerInTab } from './picker-injection';
import { startedTabs } from './started-tabs';
import type { z } from 'zod';
import type { Browser } from 'wxt/browser';
import { testModeHandlers } from './test-mode-handlers';
import { workspaceHandlers } from './workspace-handlers';

type Handlers = {
  [K in keyof typeof backgroundRequestSchemas]: (
    payload: z.output<(typeof backgroundRequestSchemas)[K]>,
    sender: Browser.runtime.MessageSender,
  ) => Promise<BackgroundResponses[K]>;
};

const ACTIVITY_LOOKUPS_AT_ONCE = 4;

function toStatus(connection: StoredConnection | null): ConnectionStatus {
  if (!connection) return { connected: false };
  return {
    connected: true,
    baseUrl: connection.baseUrl,
    portalId: connection.portalId,
    portalName: connection.portalName,
  };
}

/**
 * Refuses to call a backend whose origin the user has not let the extension reach (asked for when
 * they click Connect; they may withdraw it in the browser's extension settings at any time).
 */
async function requireOriginAccess(baseUrl: string): Promise<void> {
  const origins = [originPattern(baseUrl)];
  if (await browser.permissions.contains({ origins })) return;
  throw new MessageError({
    code: 'NO_HOST_PERMISSION',
    message: t('errors.noHostPermission', { origin: new URL(baseUrl).origin }),
  });
}

async function requireConnection(): Promise<StoredConnection> {
  const connection = await connectionItem.getValue();
  if (!connection) {
    throw new MessageError({
      code: 'NOT_CONNECTED',
      message: t('errors.notConnected'),
    });
  }
  return connection;
}

export async function requireClient(): Promise<BackendClient> {
  const connection = await requireConnection();
  await requireOriginAccess(connection.baseUrl);
  return new BackendClient(connection);
}

const PAGE_LOAD_TIMEOUT_MS = 30_000;

/** Navigates a tab and resolves once the page has loaded (or after a timeout: slow pages still get tried). */
async function openInTab(tabId: number, url: string): Promise<void> {
  const loaded = new Promise<void>((resolve) => {
    const timer = setTimeout(done, PAGE_LOAD_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(listener);
      resolve();
    }
    function listener(updatedId: number, change: { status?: string }) {
      if (updatedId === tabId && change.status === 'complete') done();
    }
    browser.tabs.onUpdated.addListener(listener);
  });
  await browser.tabs.update(tabId, { url });
  await loaded;
}

export const backgroundHandlers: Handlers = {
  ...analyticsHandlers(requireClient),
  ...testModeHandlers(requireClient),
  ...contactHandlers(requireClient),
  ...importHandlers(requireClient),
  ...workspaceHandlers(requireClient),

  'connection/get': async () => toStatus(await connectionItem.getValue()),

  'connection/connect': async ({ baseUrl, apiKey }) => {
    await requireOriginAccess(baseUrl);
    // Only a connection the server accepted is saved: a typo never replaces a working one.
    const account = await new BackendClient({ baseUrl, apiKey }).account();
    const connection: StoredConnection = {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      apiKey,
      portalId: account.portalId,
      portalName: account.name,
    };
    await connectionItem.setValue(connection);
    return toStatus(connection);
  },

  'connection/disconnect': async () => {
    const connection = await connectionItem.getValue();
    await connectionItem.setValue(null);
    // Give back the access asked for at Connect (a build that grants it at install keeps it).
    if (connection)
      await browser.permissions.remove({ origins: [originPattern(connection.baseUrl)] }).catch(() => false);
    return toStatus(null);
  },

  'definitions/list': async () => (await requireClient()).listDefinitions(),

  'definitions/create': async (definition) => (await requireClient()).createDefinition(definition),

  'definitions/get': async ({ name }) => (await requireClient()).getDefinition(name),

  'definitions/set-trigger': async ({ name, version, trigger }) =>
    (await requireClient()).updateDefinition(name, version, { trigger }),

  'definitions/update': async ({ name, version, changes }) =>
    (await requireClient()).updateDefinition(name, version, changes),

  'definitions/activity': async ({ eventTypes }) => {
    const client = await requireClient();
    const activity: Record<string, string | null> = {};
    // A few lookups at a time: quick for a handful of events, gentle on the server for hundreds.
    const queue = [...new Set(eventTypes)];
    const worker = async () => {
      for (let eventType = queue.shift(); eventType !== undefined; eventType = queue.shift()) {
        activity[eventType] = await client.lastCompletionAt(eventType);
      }
    };
    await Promise.all(Array.from({ length: ACTIVITY_LOOKUPS_AT_ONCE }, worker));
    return activity;
  },

  'custom-code/history': async ({ name }) => (await requireClient()).customCodeHistory(name),

  'custom-code/errors': async ({ name, days }) => (await requireClient()).customCodeErrors(name, days),
  'custom-code/dry-run': async ({ tabId, label, code }) => dryRunCustomCode(tabId, label, code),
  'workflows/list': async () => (await requireClient()).listWorkflows(),
  'workflows/create': async (workflow) => (await requireClient()).createWorkflow(workflow),
  'workflows/update': async ({ id, version, changes }) => (await requireClient()).updateWorkflow(id, version, changes),
  'workflows/delete': async ({ id, version }) => {
    await (await requireClient()).deleteWorkflow(id, version);
    return { deleted: true };
  },
  'workflows/test': async ({ id, stepId }) => (await requireClient()).testWorkflow(id, stepId),
  'workflows/deliveries': async ({ id }) => (await requireClient()).listDeliveries(id),
  'workflows/retry': async ({ id, deliveryId }) => (await requireClient()).retryDelivery(id, deliveryId),

  'picker/start': async ({ tabId, mode, repick }) => {
    // Picking itself calls no backend; saving does, and explains then if access was withdrawn.
    await requireConnection();
    // Without `tabs`, the URL is known only for a tab the extension may access (activeTab).
    const tab = await browser.tabs.get(tabId);
    if (tab.url !== undefined && !/^https?:/.test(tab.url)) {
      throw new MessageError({
        code: 'UNSUPPORTED_PAGE',
        message: t('errors.unsupportedPage'),
      });
    }
    // Before injecting, so the picker's first request is already answered.
    await startedTabs.add(tabId);
    const name = repick?.name;
    // Re-picking where health saw the event break: open that page first, then pick there.
    if (repick?.url && repick.url !== tab.url) await openInTab(tabId, repick.url);
    return startPickerInTab(tabId, mode, name);
  },
};
