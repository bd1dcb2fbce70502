import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { TrackerLimits } from './http/tracker-guard';
import { ensureDefaultPortal, type Bootstrapped } from './bootstrap';
import type { ServerConfig } from './config';
import { openDatabase, type OpenDatabase } from './storage/database';
import { WorkflowEngine, type WorkflowEngineOptions } from './workflows/engine';

export interface RunningServer {
  url: string;
  database: OpenDatabase;
  bootstrap: Bootstrapped;
  workflows: WorkflowEngine;
  close(): Promise<void>;
}

/** Opens the database, migrates it, ensures a portal and listens; used by the CLI and the tests. */
export async function startServer(
  config: ServerConfig,
  options: { trackerLimits?: TrackerLimits; workflows?: WorkflowEngineOptions } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  const bootstrap = await ensureDefaultPortal(database.db);
  const workflows = new WorkflowEngine(database.db, { ...config.workflows, ...options.workflows });
  const app = createApp(database.db, { trackerLimits: options.trackerLimits, workflows });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(instance));
    instance.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  workflows.start();
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    database,
    bootstrap,
    workflows,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workflows.stop();
      await database.db.destroy();
    },
  };
}
