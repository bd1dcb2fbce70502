import path from 'node:path';
import { clientAddressSourceFrom, type ClientAddressSource } from './http/client-address';
import type { DatabaseConfig } from './storage/database';
import { workflowConfig } from './workflows/config';
import type { WorkflowEngineOptions } from './workflows/engine';

export interface ServerConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Where the tracker's rate limits read the client address (`TRUST_PROXY`); the socket by default. */
  clientAddress?: ClientAddressSource;
  /** Where uploaded spreadsheets wait for their import (`imports/` in the data directory). */
  importsDir?: string;
  /** From the `CLICKTRAIL_WEBHOOKS_*` and `CLICKTRAIL_WORKFLOW_*` variables (server/workflows/config.ts). */
  workflows?: WorkflowEngineOptions;
}

/** Reads `PORT`, `HOST`, `CLICKTRAIL_DATA_DIR`, `DATABASE_URL` and `TRUST_PROXY`, with clear errors for bad values. */
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
  const importsDir = path.join(path.resolve(env.CLICKTRAIL_DATA_DIR || 'data'), 'imports');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    database,
    clientAddress: clientAddressSourceFrom(env.TRUST_PROXY),
    importsDir,
    workflows: workflowConfig(env),
  };
}
