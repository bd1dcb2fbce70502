import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { TrackerLimits } from './http/tracker-guard';
import { ensureDefaultPortal, type Bootstrapped } from './bootstrap';
import type { ServerConfig } from './config';
import { openDatabase, type OpenDatabase } from './storage/database';
import { ImportRunner, type RunnerOptions } from './imports/runner';
import path from 'node:path';

export interface RunningServer {
  url: string;
  database: OpenDatabase;
  bootstrap: Bootstrapped;
  close(): Promise<void>;
}

/** Opens the database, migrates it, ensures a portal and listens; used by the CLI and the tests. */
export async function startServer(
  config: ServerConfig,
  options: {
    trackerLimits?: TrackerLimits;
    /** Spreadsheet imports: upload directory (default: `imports/` in the data directory), limits, queue timing. */
    imports?: RunnerOptions & { dir?: string; maxUploadBytes?: number };
  } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  const bootstrap = await ensureDefaultPortal(database.db);
  const runner = new ImportRunner(database.db, options.imports);
  const app = createApp(database.db, {
    trackerLimits: options.trackerLimits,
    imports: {
      runner,
      dir: options.imports?.dir ?? config.importsDir ?? importsDirOf(config),
      maxUploadBytes: options.imports?.maxUploadBytes,
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(instance));
    instance.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // Resumes imports a previous run left unfinished, then runs new ones as they are started.
  runner.start();
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    database,
    bootstrap,
    close: async () => {
      await runner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.db.destroy();
    },
  };
}

/** Uploads live beside the SQLite file, or under `data/imports` for PostgreSQL. */
function importsDirOf(config: ServerConfig): string {
  return config.database.kind === 'sqlite'
    ? path.join(path.dirname(config.database.file), 'imports')
    : path.resolve('data', 'imports');
}
