/**
 * The background's handlers of the import wizard's requests: the chunked upload (see
 * lib/imports/panel-upload.ts), start, progress, error report and cancel. The import the panel
 * started is kept in extension storage, so a panel closed and opened again resumes following it.
 */
import { storage } from 'wxt/utils/storage';
import type { z } from 'zod';
import type { ImportResponses, importRequestSchemas } from '../messaging';
import type { BackendClient } from './client';
import { connectionItem } from './connection-store';
import { ImportStaging } from './import-staging';

type ImportHandlers = {
  [K in keyof typeof importRequestSchemas]: (
    payload: z.output<(typeof importRequestSchemas)[K]>,
  ) => Promise<ImportResponses[K]>;
};

/** The import last started from the panel, with the server it runs on. */
export const activeImportItem = storage.defineItem<{ id: string; baseUrl: string } | null>('local:activeImport', {
  fallback: null,
});

export function importHandlers(client: () => Promise<BackendClient>): ImportHandlers {
  const staging = new ImportStaging();
  return {
    'imports/upload-begin': async (info) => {
      await client(); // refuse before any byte is sent when there is no connection
      return { uploadId: staging.begin(info) };
    },
    'imports/upload-chunk': ({ uploadId, offset, data }) =>
      Promise.resolve({ received: staging.append(uploadId, offset, data) }),
    'imports/upload-finish': async ({ uploadId }) => {
      const { blob, info } = staging.finish(uploadId);
      return (await client()).uploadImport(blob, info);
    },
    'imports/start': async ({ id, start }) => {
      const status = await (await client()).startImport(id, start);
      const connection = await connectionItem.getValue();
      if (connection) await activeImportItem.setValue({ id, baseUrl: connection.baseUrl });
      return status;
    },
    'imports/status': async ({ id }) => (await client()).importStatus(id),
    'imports/errors': async ({ id }) => ({
      fileName: `import-${id}-errors.csv`,
      csv: await (await client()).importErrors(id),
    }),
    'imports/cancel': async ({ id, rollback }) => (await client()).cancelImport(id, rollback),
    'imports/active': async () => {
      const [active, connection] = await Promise.all([activeImportItem.getValue(), connectionItem.getValue()]);
      // An import of another server (the user reconnected elsewhere) is not this panel's.
      return active && connection && active.baseUrl === connection.baseUrl ? { id: active.id } : null;
    },
    'imports/forget': async ({ id }) => {
      if ((await activeImportItem.getValue())?.id === id) await activeImportItem.setValue(null);
      return { forgotten: true };
    },
  };
}
