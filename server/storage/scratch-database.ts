import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from './database';

export type DatabaseKind = DatabaseConfig['kind'];

/** Where the test PostgreSQL lives; `npm test` starts it when it is installed but stopped. */
export const PG_ADMIN_URL = process.env.CLICKTRAIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  config: DatabaseConfig;
  /** The environment that points `server/main.ts` at this database. */
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database for one test or benchmark run (the one harness both use; `bench/` and
 * `test/` never import each other): `clicktrail.sqlite` in a temporary data
 * directory, or a new PostgreSQL database; `dispose` removes it.
 */
export async function scratchDatabase(kind: DatabaseKind, adminUrl = PG_ADMIN_URL): Promise<ScratchDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-'));
    return {
      config: { kind, file: path.join(dir, 'clicktrail.sqlite') },
      env: { CLICKTRAIL_DATA_DIR: dir, DATABASE_URL: '' },
      dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `clicktrail_scratch_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind, url: url.toString() },
    env: { DATABASE_URL: url.toString() },
    dispose: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
