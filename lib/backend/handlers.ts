/**
 * The background's request handlers: the only place the extension talks to the backend.
 */
import { browser } from 'wxt/browser';
import { MessageError, sendToTab, type BackgroundResponses, type ConnectionStatus } from '../messaging';
import type { backgroundRequestSchemas } from '../messaging';
import { analyticsHandlers } from './analytics-handlers';
import { BackendClient } from './client';
import { contactHandlers } from './contact-handlers';
import { importHandlers } from './import-handlers';
import { connectionItem, type StoredConnection } from './connection-store';
import type { z } from 'zod';
import type { Browser } from 'wxt/browser';
import { testModeHandlers } from './test-mode-handlers';

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

export async function requireClient(): Promise<BackendClient> {
  const connection = await connectionItem.getValue();
  if (!connection) {
    throw new MessageError({
      code: 'NOT_CONNECTED',
      message: 'Connect Clicktrail to your server first (open the Clicktrail popup).',
    });
  }
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

/** The content script of a page that just loaded may not listen yet: ask again for a few seconds. */
async function retryUntilReady<T>(send: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof MessageError) || error.code !== 'NO_CONTENT_SCRIPT' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export const backgroundHandlers: Handlers = {
  ...analyticsHandlers(requireClient),
  ...testModeHandlers(requireClient),
  ...contactHandlers(requireClient),
  ...importHandlers(requireClient),

  'connection/get': async () => toStatus(await connectionItem.getValue()),

  'connection/connect': async ({ baseUrl, apiKey }) => {
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
    await connectionItem.setValue(null);
    return toStatus(null);
  },

  'definitions/list': async () => (await requireClient()).listDefinitions(),

  'definitions/create': async (definition) => (await requireClient()).createDefinition(definition),

  'definitions/get': async ({ name }) => (await requireClient()).getDefinition(name),

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
    await requireClient();
    const tab = await browser.tabs.get(tabId);
    if (!tab.url || !/^https?:/.test(tab.url)) {
      throw new MessageError({
        code: 'UNSUPPORTED_PAGE',
        message: 'Open your website in this tab first: Clicktrail can only track http(s) pages.',
      });
    }
    // Re-picking where health saw the event break: open that page first, then pick there.
    if (repick?.url && repick.url !== tab.url) {
      await openInTab(tabId, repick.url);
      return retryUntilReady(() => sendToTab(tabId, 'picker/start', { mode, repick: { name: repick.name } }));
    }
    return sendToTab(tabId, 'picker/start', { mode, ...(repick ? { repick: { name: repick.name } } : {}) });
  },
};
