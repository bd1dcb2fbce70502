import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { TrackerLimits } from './http/tracker-guard';
import { ensureDefaultPortal, type Bootstrapped } from './bootstrap';
import type { ServerConfig } from './config';
import { removeRunningMarker, writeRunningMarker } from './running-marker';
import { openDatabase, type OpenDatabase } from './storage/database';
import { RetentionJob, type RetentionOptions } from './privacy/retention';
import { CLICKTRAIL_VERSION } from './version';
import { ImportRunner, type RunnerOptions } from './imports/runner';
import path from 'node:path';
import { WorkflowEngine, type WorkflowEngineOptions } from './workflows/engine';

export interface RunningServer {
  url: string;
  database: OpenDatabase;
  bootstrap: Bootstrapped;
  /** With `demo`: the origins whose pages may send to the default portal, for this process only. */
  demoOrigins: readonly string[];
  workflows: WorkflowEngine;
  close(): Promise<void>;
}

export interface StartOptions {
  trackerLimits?: TrackerLimits;
  /**
   * Serve the demo site under `/demo/` (`npm start` passes `--demo`) and allow its origin — the
   * server's own, as `127.0.0.1` and `localhost` — to send events to the default portal while this
   * process runs. Without it no page the server serves is an allowed origin.
   */
  demo?: boolean;
  /** Deleting completions past each portal's retention period (issue 17); `false` turns it off. */
  retention?: RetentionOptions | false;
  /** Spreadsheet imports: upload directory (default: `imports/` in the data directory), limits, queue timing. */
  imports?: RunnerOptions & { dir?: string; maxUploadBytes?: number };
  /** Workflow engine options over the configuration's (tests pass a clock, allow local receivers). */
  workflows?: WorkflowEngineOptions;
}

/** Opens the database, migrates it, ensures a portal and listens; used by the CLI and the tests. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  const bootstrap = await ensureDefaultPortal(database.db);
  const demoOrigins = new Set<string>();
  const runner = new ImportRunner(database.db, options.imports);
  const workflows = new WorkflowEngine(database.db, { ...config.workflows, ...options.workflows });
  const app = createApp(database.db, {
    trackerLimits: options.trackerLimits,
    workflows,
    clientAddress: config.clientAddress,
    demo: options.demo ? { portalId: bootstrap.portal.id, origins: demoOrigins } : undefined,
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
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (options.demo) {
    demoOrigins.add(url);
    if (['127.0.0.1', '0.0.0.0', 'localhost', '::1'].includes(config.host)) {
      demoOrigins.add(`http://127.0.0.1:${port}`).add(`http://localhost:${port}`);
    }
  }
  // Deletes completions past each portal's retention period, hourly (issue 17).
  const retention = options.retention === false ? undefined : new RetentionJob(database.db, options.retention);
  retention?.start();
  const { database: where } = config;
  const marked = where.kind === 'sqlite' && where.file !== ':memory:';
  if (marked) {
    const startedAt = new Date().toISOString();
    writeRunningMarker(where.file, { pid: process.pid, url, startedAt, version: CLICKTRAIL_VERSION });
  }
  // Resumes imports a previous run left unfinished, then runs new ones as they are started.
  runner.start();
  workflows.start();
  return {
    url,
    database,
    bootstrap,
    demoOrigins: [...demoOrigins],
    workflows,
    close: async () => {
      await runner.stop();
      if (marked) removeRunningMarker(where.file);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await retention?.stop();
      await workflows.stop();
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
