import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { TrackerLimits } from './http/tracker-guard';
import { ensureDefaultPortal, type Bootstrapped } from './bootstrap';
import type { ServerConfig } from './config';
import { openDatabase, type OpenDatabase } from './storage/database';
import { RetentionJob, type RetentionOptions } from './privacy/retention';

export interface RunningServer {
  url: string;
  database: OpenDatabase;
  bootstrap: Bootstrapped;
  close(): Promise<void>;
}

/** Opens the database, migrates it, ensures a portal and listens; used by the CLI and the tests. */
export async function startServer(
  config: ServerConfig,
  options: { trackerLimits?: TrackerLimits; retention?: RetentionOptions | false } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  const bootstrap = await ensureDefaultPortal(database.db);
  const app = createApp(database.db, options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(instance));
    instance.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // Deletes completions past each portal's retention period, hourly (issue 17).
  const retention = options.retention === false ? undefined : new RetentionJob(database.db, options.retention);
  retention?.start();
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    database,
    bootstrap,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await retention?.stop();
      await database.db.destroy();
    },
  };
}
