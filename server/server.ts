import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { TrackerLimits } from './http/tracker-guard';
import { ensureDefaultPortal, type Bootstrapped } from './bootstrap';
import type { ServerConfig } from './config';
import { removeRunningMarker, writeRunningMarker } from './running-marker';
import { openDatabase, type OpenDatabase } from './storage/database';
import { CLICKTRAIL_VERSION } from './version';

export interface RunningServer {
  url: string;
  database: OpenDatabase;
  bootstrap: Bootstrapped;
  close(): Promise<void>;
}

/** Opens the database, migrates it, ensures a portal and listens; used by the CLI and the tests. */
export async function startServer(
  config: ServerConfig,
  options: { trackerLimits?: TrackerLimits } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  const bootstrap = await ensureDefaultPortal(database.db);
  const app = createApp(database.db, options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(instance));
    instance.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const { database: where } = config;
  const marked = where.kind === 'sqlite' && where.file !== ':memory:';
  if (marked) {
    const startedAt = new Date().toISOString();
    writeRunningMarker(where.file, { pid: process.pid, url, startedAt, version: CLICKTRAIL_VERSION });
  }
  return {
    url,
    database,
    bootstrap,
    close: async () => {
      if (marked) removeRunningMarker(where.file);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.db.destroy();
    },
  };
}
