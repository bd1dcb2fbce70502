import path from 'node:path';
import type { DatabaseConfig } from './storage/database';
import { workflowConfig } from './workflows/config';
import type { WorkflowEngineOptions } from './workflows/engine';

export interface ServerConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** From the `CLICKTRAIL_WEBHOOKS_*` and `CLICKTRAIL_WORKFLOW_*` variables (server/workflows/config.ts). */
  workflows?: WorkflowEngineOptions;
}

/** Reads `PORT`, `HOST`, `CLICKTRAIL_DATA_DIR` and `DATABASE_URL`, with clear errors for bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a number between 0 and 65535, got "${env.PORT}".`);
  }
  const url = env.DATABASE_URL?.trim();
  let database: DatabaseConfig;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        'DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/db); leave it unset for SQLite.',
      );
    }
    database = { kind: 'postgres', url };
  } else {
    const dataDir = path.resolve(env.CLICKTRAIL_DATA_DIR || 'data');
    database = { kind: 'sqlite', file: path.join(dataDir, 'clicktrail.sqlite') };
  }
  return { port, host: env.HOST || '127.0.0.1', database, workflows: workflowConfig(env) };
}
